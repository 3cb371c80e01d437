// Sandbox figures in one run: boot time on the embedded database (goal: under 3 s) next to boot
// on a throwaway PostgreSQL 15 cluster, and personal-signup latency on real Postgres next to the
// IdP's own user creation (the Keycloak part of every signup) on the same machine.
//   npx tsx bench/sandbox.bench.ts [signups=30]
import pino from 'pino';
import { request } from 'undici';
import { startSandbox } from '../src/start.ts';
import { startTestPostgres } from '../../../test/support/postgres.ts';
import pg from 'pg';

const SIGNUPS = Number(process.argv[2] ?? 30);
const silent = pino({ level: 'silent' });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!;

async function boot(label: string, databaseUrl?: () => Promise<string>, rounds = 3) {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const url = databaseUrl ? await databaseUrl() : undefined;
    const t0 = performance.now();
    const s = await startSandbox({ databaseUrl: url, log: silent });
    times.push(performance.now() - t0);
    await s.close();
  }
  return { measurement: `boot: ${label}`, rounds, 'min ms': Math.round(Math.min(...times)), 'median ms': Math.round(median(times)) };
}

const cluster = await startTestPostgres();
let dbCount = 0;
const freshDb = async () => {
  const name = `bench_${++dbCount}`;
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return cluster.url.replace(/\/[^/]*$/, `/${name}`);
};

try {
  const rows: Record<string, unknown>[] = [await boot('embedded PGlite, snapshot cache (goal <= 1000 ms)'), await boot('PostgreSQL 15 cluster', freshDb)];

  const s = await startSandbox({ databaseUrl: await freshDb(), log: silent });
  const signup: number[] = [];
  for (let i = 0; i < SIGNUPS; i++) {
    const t0 = performance.now();
    const res = await request(`${s.platformUrl}/api/v1/auth/personal/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `bench-${i}-${Date.now()}@example.test`, password: 'Bench-Passw0rd!x', display_name: `Bench ${i}` }),
    });
    await res.body.text();
    if (res.statusCode !== 201) throw new Error(`signup answered ${res.statusCode}`);
    signup.push(performance.now() - t0);
  }
  const tokenRes = await request(`${s.idp.url}/realms/sandbox/protocol/openid-connect/token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'platform-admin', client_secret: 'sandbox-admin-secret' }).toString(),
  });
  const token = ((await tokenRes.body.json()) as { access_token: string }).access_token;
  const kcCreate: number[] = [];
  for (let i = 0; i < SIGNUPS; i++) {
    const t0 = performance.now();
    const res = await request(`${s.idp.url}/admin/realms/sandbox/users`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ username: `bench-kc-${i}-${Date.now()}`, enabled: true, credentials: [{ type: 'password', value: 'Bench-Passw0rd!x', temporary: false }] }),
    });
    await res.body.text();
    kcCreate.push(performance.now() - t0);
  }
  await s.close();
  rows.push(
    { measurement: 'personal signup (API, PostgreSQL 15)', rounds: SIGNUPS, 'min ms': Math.round(Math.min(...signup)), 'median ms': Math.round(median(signup)), 'p95 ms': Math.round(p95(signup)) },
    { measurement: 'IdP user create alone (raw undici)', rounds: SIGNUPS, 'min ms': Math.round(Math.min(...kcCreate)), 'median ms': Math.round(median(kcCreate)), 'p95 ms': Math.round(p95(kcCreate)) },
  );
  console.table(rows);
} finally {
  await cluster.stop();
}
