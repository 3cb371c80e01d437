// A bundle's folder is named after a correlation id the target answered: it stays one folder
// inside evidence/ whatever the id holds.
import { describe, expect, it } from 'vitest';
import { bundleDirName } from '../../src/triage/bundle-path.ts';

describe('bundleDirName', () => {
  it.each([
    ['3f1c2a9e-7b6d-4d1e-9a0b-2c4e6f8a1b3d', 'evidence/3f1c2a9e-7b6d-4d1e-9a0b-2c4e6f8a1b3d'],
    ['..', 'evidence/_.'],
    ['.', 'evidence/_'],
    ['../../etc/passwd', 'evidence/_._.._etc_passwd'],
    ['a/b\\c', 'evidence/a_b_c'],
    ['.hidden', 'evidence/_hidden'],
    [null, 'evidence/no-correlation-id-journey-step'],
    ['x'.repeat(300), `evidence/${'x'.repeat(200)}`],
  ])('%s -> %s', (id, dir) => {
    expect(bundleDirName(id, 'journey-step')).toBe(dir);
  });
});
