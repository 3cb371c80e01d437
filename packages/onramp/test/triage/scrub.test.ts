// The bundle never holds a secret: the scrubber replaces known values, secret-named fields, tokens
// and password hashes wherever they hide; the scanner the CLI tests use finds each kind when one
// slips through (so a clean scan means something).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scrub } from '../../src/triage/bundle.ts';
import { scanForSecrets } from './secret-scan.ts';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

describe('scrub', () => {
  it('replaces known values, secret-named fields, JWTs and password hashes, and keeps harmless flags', () => {
    const out = scrub(
      {
        log: [{ msg: `login with ${JWT}`, db: 'postgres://u:hunter2-long@db/x' }],
        payload: { initial_password: 'Weak-But-Secret-1!', secret_hash: 'abc', client_secret: 'x', email: 'a@b.test', temporary_password_pending: true },
        headers: { authorization: 'Bearer [redacted]', cookie: 'sid=abcdef' },
        note: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo',
        checks: [{ name: 'temporary_password_pending', ok: true }],
      },
      ['hunter2-long'],
    );
    expect(out).toEqual({
      log: [{ msg: 'login with [redacted]', db: 'postgres://u:[redacted]@db/x' }],
      payload: { initial_password: '[redacted]', secret_hash: '[redacted]', client_secret: '[redacted]', email: 'a@b.test', temporary_password_pending: true },
      headers: { authorization: 'Bearer [redacted]', cookie: '[redacted]' },
      note: '[redacted]',
      checks: [{ name: 'temporary_password_pending', ok: true }],
    });
  });
});

describe('scanForSecrets', () => {
  it.each([
    ['a JWT', `{"line":"${JWT}"}`],
    ['a bearer token', 'Authorization: Bearer abcdefgh12345678'],
    ['a password hash', '"$argon2id$v=19$m=19456"'],
    ['a secret-named field with a value', '{"client_secret":"abc"}'],
    ['the secret value', 'admin secret sandbox-admin-secret here'],
    ['a synthetic user password', 'SyAbCdEf1234567!q'],
  ])('finds %s', async (what, text) => {
    const dir = await mkdtemp(join(tmpdir(), 'onramp-scan-'));
    try {
      await writeFile(join(dir, 'evidence.md'), text);
      expect((await scanForSecrets(dir)).join('\n')).toContain(what);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('passes redacted text', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'onramp-scan-'));
    try {
      await writeFile(join(dir, 'evidence.json'), '{"authorization":"Bearer [redacted]","client_secret":"[redacted]","temporary_password_pending":true}');
      expect(await scanForSecrets(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
