// Every fault in the catalog is switched on by at least one test (which then checks its symptom).
import { describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAULTS } from '../../src/faults/catalog.ts';

describe('fault coverage', () => {
  it('names each fault in a test other than this one', async () => {
    // The sandbox's own tests, and onramp's, whose fault tables run every fault through the journeys.
    const dirs = ['../', '../../../onramp/test/'].map((d) => fileURLToPath(new URL(d, import.meta.url)));
    const files = (await Promise.all(dirs.map(async (d) => (await readdir(d, { recursive: true })).map((f) => join(d, f))))).flat();
    const tests = files.filter((f) => f.endsWith('.test.ts') && !f.endsWith('fault-coverage.test.ts'));
    const text = (await Promise.all(tests.map((f) => readFile(f, 'utf8')))).join('\n');
    const untested = FAULTS.map((f) => f.name).filter((name) => !text.includes(`'${name}'`));
    expect(untested).toEqual([]);
  });
});
