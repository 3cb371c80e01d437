// @peculiar/x509 resolves its providers through tsyringe, which needs the Reflect metadata polyfill.
import 'reflect-metadata';
// Per-realm key material, shaped like Keycloak's default keystore: an RS256 signing key and an
// RSA-OAEP encryption key, each published in the JWKS with a self-signed certificate (x5c, x5t,
// x5t#S256), and an HMAC key for the JWT-shaped refresh tokens (Keycloak signs those with HS512).
import { webcrypto, createHash, randomBytes, createPublicKey, type KeyObject, KeyObject as KO } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export interface PublicJwk {
  kid: string;
  kty: 'RSA';
  alg: 'RS256' | 'RSA-OAEP';
  use: 'sig' | 'enc';
  x5c: string[];
  x5t: string;
  'x5t#S256': string;
  n: string;
  e: string;
}

export interface RealmKeys {
  /** Private signing key as a JWK, as oidc-provider's `jwks` configuration wants it. */
  signingJwk: Record<string, unknown>;
  signingKid: string;
  /** Public key for verifying tokens this realm issued. */
  verifyKey: KeyObject;
  /** Keycloak's JWKS: signing key first, then the encryption key. */
  publicJwks: { keys: PublicJwk[] };
  /** Secret for the HS512 refresh-token wrapper. */
  refreshSecret: Uint8Array;
}

/** Serialised form, so a realm restarted on a database keeps its keys and its tokens stay valid. */
export interface StoredRealmKeys {
  sig: { privateJwk: JsonWebKey; cert: string };
  enc: { privateJwk: JsonWebKey; cert: string };
  refreshSecret: string;
}

const RSA = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' } as const;

async function makeKeyPair(realm: string): Promise<{ privateJwk: JsonWebKey; cert: string }> {
  const keys = await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(8).toString('hex'),
    name: `CN=${realm}`,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 10 * 365 * 86_400_000),
    keys: keys as CryptoKeyPair,
    signingAlgorithm: RSA,
  });
  return { privateJwk: await webcrypto.subtle.exportKey('jwk', keys.privateKey), cert: Buffer.from(cert.rawData).toString('base64') };
}

export async function generateRealmKeys(realm: string): Promise<StoredRealmKeys> {
  const [sig, enc] = await Promise.all([makeKeyPair(realm), makeKeyPair(realm)]);
  return { sig, enc, refreshSecret: randomBytes(64).toString('base64url') };
}

export function realmKeysFrom(stored: StoredRealmKeys): RealmKeys {
  const sigPub = publicJwk(stored.sig, 'RS256', 'sig');
  const encPub = publicJwk(stored.enc, 'RSA-OAEP', 'enc');
  const { privateJwk } = stored.sig;
  return {
    signingJwk: { ...privateJwk, kid: sigPub.kid, alg: 'RS256', use: 'sig', key_ops: undefined, ext: undefined },
    signingKid: sigPub.kid,
    verifyKey: createPublicKey({ key: privateJwk as Parameters<typeof KO.from>[0] & JsonWebKey, format: 'jwk' } as never),
    publicJwks: { keys: [sigPub, encPub] },
    refreshSecret: Buffer.from(stored.refreshSecret, 'base64url'),
  };
}

function publicJwk(pair: { privateJwk: JsonWebKey; cert: string }, alg: PublicJwk['alg'], use: PublicJwk['use']): PublicJwk {
  const der = Buffer.from(pair.cert, 'base64');
  const { n, e } = pair.privateJwk as { n: string; e: string };
  // Keycloak's kid is a hash of the key; a thumbprint of the modulus serves the same purpose.
  const kid = createHash('sha256').update(n).digest('base64url').slice(0, 43);
  return {
    kid,
    kty: 'RSA',
    alg,
    use,
    x5c: [pair.cert],
    x5t: createHash('sha1').update(der).digest('base64url'),
    'x5t#S256': createHash('sha256').update(der).digest('base64url'),
    n,
    e,
  };
}
