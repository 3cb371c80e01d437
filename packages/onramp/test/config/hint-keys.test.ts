// Every config key a message of onramp's names (a hint such as "set database_url on the target",
// "targets.NAME.logs.loki_url", or a problem's "monitor.database_url: ..."), found in the string
// literals of the product's sources, exists in contracts/config.schema.json: a hint must never
// send a user after a key the config refuses (as "set databaseUrl on the target" once did).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const SCHEMA = JSON.parse(readFileSync(fileURLToPath(new URL('../../contracts/config.schema.json', import.meta.url)), 'utf8')) as Schema;
interface Schema { $ref?: string; properties?: Record<string, Schema>; additionalProperties?: boolean | Schema; oneOf?: Schema[]; anyOf?: Schema[]; allOf?: Schema[]; $defs?: Record<string, Schema> }

const deref = (s: Schema): Schema => (s.$ref ? deref(SCHEMA.$defs![s.$ref.replace('#/$defs/', '')]!) : s);
/** Whether a dotted key path exists under a schema (NAME stands for any name of a map). */
function exists(s: Schema, path: string[]): boolean {
  const here = deref(s);
  if (!path.length) return true;
  const [head, ...rest] = path as [string, ...string[]];
  const alternatives = [...(here.oneOf ?? []), ...(here.anyOf ?? []), ...(here.allOf ?? [])];
  if (alternatives.some((a) => exists(a, path))) return true;
  if (here.properties?.[head]) return exists(here.properties[head]!, rest);
  if (head === 'NAME' && typeof here.additionalProperties === 'object') return exists(here.additionalProperties, rest);
  return false;
}
const TARGET = ['targets', 'NAME'];
export const configKeyExists = (key: string, relativeTo: 'config' | 'target') => exists(SCHEMA, [...(relativeTo === 'target' ? TARGET : []), ...key.split('.')]);

const TOP = Object.keys(SCHEMA.properties!).join('|');
/** The config keys a text names, each with what it is relative to. */
export function keysIn(text: string): { key: string; relativeTo: 'config' | 'target' }[] {
  const found: { key: string; relativeTo: 'config' | 'target' }[] = [];
  for (const m of text.matchAll(/targets\.NAME\.([A-Za-z_][\w.]*\w)/g)) found.push({ key: m[1]!, relativeTo: 'target' });
  for (const m of text.matchAll(/\b[Ss]et ([A-Za-z_][\w.]*\w) on the target/g)) found.push({ key: m[1]!, relativeTo: 'target' });
  for (const m of text.matchAll(/\((logs\.[A-Za-z_]\w*)\)/g)) found.push({ key: m[1]!, relativeTo: 'target' });
  for (const m of text.matchAll(new RegExp(`(?<![\\w.])((?:${TOP})\\.[A-Za-z_][\\w.]*\\w)`, 'g'))) if (!/\.(ts|js|mjs|json)$/.test(m[1]!)) found.push({ key: m[1]!, relativeTo: 'config' });
  return found;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}
/** The string literals of a source file, template literals without their `${...}` parts, comments left out. */
function literals(code: string): string[] {
  const out: string[] = [];
  for (const line of code.split('\n')) {
    // Comments, and module specifiers (`import ... from '../browser.ts'`), are not messages.
    if (/^\s*(\/\/|\*|\/\*)|\bfrom\s+['"]|\bimport\(/.test(line)) continue;
    for (const m of line.matchAll(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`/g)) out.push(m[0].replace(/\$\{[^}]*\}/g, ' '));
  }
  return out;
}

describe('config keys named in messages', () => {
  it('the checker itself: real keys pass, made-up ones fail', () => {
    expect(keysIn('set databaseUrl on the target to run db checks')).toEqual([{ key: 'databaseUrl', relativeTo: 'target' }]);
    expect(configKeyExists('databaseUrl', 'target')).toBe(false);
    expect(configKeyExists('database_url', 'target')).toBe(true);
    expect(configKeyExists('logs.loki_url', 'target')).toBe(true);
    expect(configKeyExists('sandbox.control_token', 'target')).toBe(true);
    expect(configKeyExists('browser.executable_path', 'config')).toBe(true);
    expect(configKeyExists('monitor.database_url', 'config')).toBe(true);
    expect(configKeyExists('browser.executablePath', 'config')).toBe(false);
  });

  const hints = sources(SRC).flatMap((file) => literals(readFileSync(file, 'utf8')).flatMap((text) => keysIn(text).map((k) => ({ file: file.slice(SRC.length), text, ...k }))));
  it('finds the hints to check', () => {
    expect(hints.map((h) => h.key)).toEqual(expect.arrayContaining(['database_url', 'logs.loki_url', 'browser.executable_path', 'console_url', 'defaults.target']));
  });

  it.each(hints.map((h) => [`${h.file}: ${h.relativeTo === 'target' ? 'targets.NAME.' : ''}${h.key}`, h] as const))('%s exists in config.schema.json', (_name, h) => {
    expect(configKeyExists(h.key, h.relativeTo), h.text).toBe(true);
  });
});
