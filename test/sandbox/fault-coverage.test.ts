// Every fault in the catalog is switched on by at least one test (which then checks its symptom).
import { describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FAULTS } from '../../src/sandbox/faults/catalog.ts';

describe('fault coverage', () => {
  it('names each fault in a test other than this one', async () => {
    const files = (await readdir('test', { recursive: true })).filter((f) => f.endsWith('.test.ts') && !f.endsWith('fault-coverage.test.ts'));
    const text = (await Promise.all(files.map((f) => readFile(join('test', f), 'utf8')))).join('\n');
    const untested = FAULTS.map((f) => f.name).filter((name) => !text.includes(`'${name}'`));
    expect(untested).toEqual([]);
  });
});
