// A database URL from --database or DATABASE_URL: its form is checked before anything connects,
// and its password never reaches a message.
import { describe, expect, it } from 'vitest';
import { databaseUrlProblem, redactDatabaseUrl } from '../../src/db/url.ts';

describe('database URL', () => {
  it.each([
    ['postgres://u:p@127.0.0.1:5432/db', undefined],
    ['postgresql://u@db.example.test/app', undefined],
    ['postgres:///db?host=/run/postgresql', undefined],
    ['not-a-url', 'expected a postgres://user:password@host:port/database URL, got "not-a-url"'],
    ['mysql://u@h/db', 'expected a postgres:// or postgresql:// URL, got "mysql:" in "mysql://u@h/db"'],
    ['postgres:///db', 'no host in "postgres:///db"'],
  ])('%s -> %s', (url, problem) => {
    expect(databaseUrlProblem(url)).toBe(problem);
  });

  it.each([
    ['postgres://u:hunter22@h/db', 'postgres://u:***@h/db'],
    ['postgres://u@h/db', 'postgres://u@h/db'],
    ['garbled://u:hunter22@ x', 'garbled://u:***@ x'],
  ])('redacts %s as %s', (url, shown) => {
    expect(redactDatabaseUrl(url)).toBe(shown);
    expect(databaseUrlProblem(url) ?? '').not.toContain('hunter22');
  });
});
