// Scans report and bundle files for anything secret: the sandbox's own secrets, extra known values,
// bearer tokens and JWTs, password hashes, synthetic users' passwords, and secret-named JSON fields
// with a value. Returns every hit as `file: what`, so a failure lists them all.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

const SANDBOX_SECRETS = ['sandbox-admin-secret', 'sandbox-canary-secret', 'sandbox-console-secret', 'Sandbox-Admin-2026!'];

const PATTERNS: [string, RegExp][] = [
  ['a JWT', /eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*/],
  ['a bearer token', /Bearer (?!\[redacted\])[\w.~+/-]{8,}/],
  ['a password hash', /\$argon2(id|i|d)?\$|\$2[aby]\$\d\d\$/],
  ['a synthetic user password', /Sy[A-Za-z0-9]{12}7!q/],
  ['a secret-named field with a value', /"[\w-]*(password|secret|client_secret|access_token|refresh_token|id_token|secret_hash)"\s*:\s*"(?!\[redacted\])[^"]+"/i],
];

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) out.push(join(e.parentPath, e.name));
  return out;
}

export async function scanForSecrets(dir: string, o: { only?: RegExp; extra?: string[] } = {}): Promise<string[]> {
  const hits: string[] = [];
  for (const f of await files(dir)) {
    const rel = relative(dir, f);
    if (o.only && !o.only.test(rel)) continue;
    const text = await readFile(f, 'utf8');
    for (const s of [...SANDBOX_SECRETS, ...(o.extra ?? [])]) if (s && text.includes(s)) hits.push(`${rel}: the secret value ${s.slice(0, 3)}...`);
    for (const [what, re] of PATTERNS) {
      const m = re.exec(text);
      if (m) hits.push(`${rel}: ${what} (${m[0].slice(0, 40)})`);
    }
  }
  return hits;
}
