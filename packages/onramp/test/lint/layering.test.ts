// The layering is a lint rule (eslint.config.js, no-restricted-imports per zone): an import that
// crosses a zone fails `npm run lint`, one that follows the layers passes.
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const eslint = new ESLint({ cwd: repo });

const CASES: { file: string; imports: string; crosses: boolean }[] = [
  { file: 'packages/onramp/src/engine/runner-x.ts', imports: '../commands/run.ts', crosses: true },
  { file: 'packages/onramp/src/engine/runner-x.ts', imports: '../app/wiring.ts', crosses: true },
  { file: 'packages/onramp/src/engine/browser/x.ts', imports: '../../monitor/metrics.ts', crosses: true },
  { file: 'packages/onramp/src/engine/x.ts', imports: '../reporters/json.ts', crosses: true },
  { file: 'packages/onramp/src/engine/x.ts', imports: '../triage/bundle.ts', crosses: true },
  { file: 'packages/onramp/src/engine/x.ts', imports: '@onramp/sandbox', crosses: true },
  { file: 'packages/onramp/src/reporters/x.ts', imports: '../triage/bundle-path.ts', crosses: true },
  { file: 'packages/onramp/src/triage/x.ts', imports: '../reporters/console.ts', crosses: true },
  { file: 'packages/onramp/src/monitor/x.ts', imports: '../commands/common.ts', crosses: true },
  { file: 'packages/onramp/src/commands/x.ts', imports: '@onramp/sandbox', crosses: true },
  { file: 'packages/onramp/journeys/x.journey.ts', imports: '../src/engine/journey.ts', crosses: true },
  { file: 'packages/sandbox/src/x.ts', imports: 'onramp', crosses: true },
  { file: 'packages/sandbox/src/idp/x.ts', imports: '../../../onramp/src/engine/secret.ts', crosses: true },
  { file: 'packages/sandbox/test/x.test.ts', imports: '../../onramp/src/engine/journey.ts', crosses: true },
  { file: 'packages/onramp/src/failures/x.ts', imports: '../engine/results.ts', crosses: true },
  // What the layers allow.
  { file: 'packages/onramp/src/commands/x.ts', imports: '../app/wiring.ts', crosses: false },
  { file: 'packages/onramp/src/app/x.ts', imports: '../triage/evidence-sink.ts', crosses: false },
  { file: 'packages/onramp/src/reporters/x.ts', imports: '../failures/catalog.ts', crosses: false },
  { file: 'packages/onramp/src/triage/x.ts', imports: '../engine/results.ts', crosses: false },
  { file: 'packages/onramp/src/engine/x.ts', imports: '../failures/catalog.ts', crosses: false },
  { file: 'packages/onramp/journeys/x.journey.ts', imports: 'onramp', crosses: false },
  { file: 'packages/sandbox/src/idp/x.ts', imports: '../faults/fault-set.ts', crosses: false },
];

describe('layering lint', () => {
  it.each(CASES)('$file importing $imports: crosses a zone = $crosses', async ({ file, imports, crosses }) => {
    const [result] = await eslint.lintText(`import { x } from '${imports}';\nexport const y = x;\n`, { filePath: `${repo}${file}` });
    const restricted = result!.messages.filter((m) => m.ruleId === 'no-restricted-imports');
    expect(restricted.length > 0, JSON.stringify(result!.messages)).toBe(crosses);
  });
});
