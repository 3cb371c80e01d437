// IdP figures, side by side in one run: start time, and per-request cost of token issuance and
// admin user creation next to a plain HTTP round trip (GET certs) as the floor, and next to the
// same user creation through the real @keycloak/keycloak-admin-client.
//   npx tsx bench/idp.bench.ts [requests=300] [concurrency=8]
import { Agent, request } from 'undici';
import KcAdminClient from '@keycloak/keycloak-admin-client';
import { startIdp } from '../src/idp/start.ts';

const N = Number(process.argv[2] ?? 300);
const C = Number(process.argv[3] ?? 8);
const REALM_FILE = 'deploy/keycloak/realm-sandbox.json';
const dispatcher = new Agent({ connections: C });

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function measure(name: string, op: (i: number) => Promise<unknown>, n = N, c = C) {
  const lat: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: c }, async () => {
      while (next < n) {
        const i = next++;
        const s = performance.now();
        await op(i);
        lat.push(performance.now() - s);
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  return { name, requests: n, concurrency: c, 'req/s': Math.round(n / secs), 'p50 ms': +pct(lat, 50).toFixed(1), 'p95 ms': +pct(lat, 95).toFixed(1) };
}

async function startTimes(rounds = 5) {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    const idp = await startIdp({ realmFile: REALM_FILE });
    times.push(performance.now() - t0);
    await idp.close();
  }
  return { name: 'IdP start (memory, realm load + keys + seed)', rounds, 'min ms': Math.round(Math.min(...times)), 'median ms': Math.round(pct(times, 50)), goal: '< 500 ms' };
}

async function ok(res: Awaited<ReturnType<typeof request>>, expected: number) {
  const body = await res.body.text();
  if (res.statusCode !== expected) throw new Error(`status ${res.statusCode}: ${body}`);
  return body;
}

const start = await startTimes();
const idp = await startIdp({ realmFile: REALM_FILE });
const tokenUrl = `${idp.url}/realms/sandbox/protocol/openid-connect/token`;
const form = (f: Record<string, string>) => ({ method: 'POST' as const, dispatcher, body: new URLSearchParams(f).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
const cc = { grant_type: 'client_credentials', client_id: 'platform-admin', client_secret: 'sandbox-admin-secret' };
const adminToken = JSON.parse(await ok(await request(tokenUrl, form(cc)), 200)).access_token as string;
const usersUrl = `${idp.url}/admin/realms/sandbox/users`;
const kc = new KcAdminClient({ baseUrl: idp.url, realmName: 'sandbox' });
await kc.auth({ grantType: 'client_credentials', clientId: 'platform-admin', clientSecret: 'sandbox-admin-secret' });

const rows = [
  await measure('GET certs (HTTP floor)', async () => ok(await request(`${idp.url}/realms/sandbox/protocol/openid-connect/certs`, { dispatcher }), 200)),
  await measure('token: client_credentials', async () => ok(await request(tokenUrl, form(cc)), 200)),
  await measure('token: password grant (argon2 verify)', async () =>
    ok(await request(tokenUrl, form({ grant_type: 'password', client_id: 'onramp-canary', client_secret: 'sandbox-canary-secret', username: 'sysadmin', password: 'Sandbox-Admin-2026!' })), 200)),
  await measure('admin create user: raw undici', async (i) =>
    ok(await request(usersUrl, { method: 'POST', dispatcher, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ username: `bench-raw-${i}`, enabled: true, credentials: [{ type: 'password', value: 'Bench-Passw0rd!', temporary: true }] }) }), 201)),
  await measure('admin create user: keycloak-admin-client', async (i) =>
    kc.users.create({ username: `bench-kc-${i}`, enabled: true, credentials: [{ type: 'password', value: 'Bench-Passw0rd!', temporary: true }] })),
];
await idp.close();
await dispatcher.close();

console.table([start]);
console.table(rows);
const raw = rows[3]!['req/s'];
const viaClient = rows[4]!['req/s'];
console.log(`admin client / raw undici throughput on user create: ${(viaClient / raw).toFixed(2)}`);
