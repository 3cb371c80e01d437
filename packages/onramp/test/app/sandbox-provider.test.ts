// The one door between onramp and @onramp/sandbox: onramp declares the provider shape it relies
// on (src/app/sandbox.ts), the sandbox package implements it. The assignment below is checked by
// `npm run typecheck`; the rest pins what crosses the door at run time.
import { describe, expect, it } from 'vitest';
import * as sandboxPackage from '@onramp/sandbox';
import { loadSandbox, SandboxMissingError, sandboxOptionOf, type SandboxProvider } from '../../src/app/sandbox.ts';

const provider: SandboxProvider = sandboxPackage;

describe('the sandbox provider', () => {
  it('is what loadSandbox answers, loaded once', async () => {
    const loaded = await loadSandbox();
    expect(Object.keys(loaded).sort()).toEqual(expect.arrayContaining(['faults', 'start', 'startIdp']));
    expect(await loadSandbox()).toBe(loaded);
  });

  it('names every fault with its title and description (plain data)', () => {
    expect(provider.faults.length).toBe(23);
    for (const f of provider.faults) {
      expect(f.name).toMatch(/^[a-z0-9_]+$/);
      expect(f.title.length).toBeGreaterThan(0);
      expect(f.description.length).toBeGreaterThan(0);
    }
  });

  it.each<[string, Parameters<SandboxProvider['start']>[0], RegExp]>([
    ['faults', { faults: ['no_such_fault'] }, /no_such_fault/],
    ['databaseUrl', { databaseUrl: 'not a url' }, /./],
  ])('blames the option %s for a start it refuses', async (option, options, message) => {
    const err = await provider.start(options).catch((e: unknown) => e);
    expect(sandboxOptionOf(err)).toBe(option);
    expect((err as Error).message).toMatch(message);
  });

  it('without the package, says how to get it or how to name a target (exit 2)', () => {
    const err = new SandboxMissingError('no target is configured');
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain('npm i -D @onramp/sandbox');
    expect(err.message).toContain('--target NAME');
  });
});
