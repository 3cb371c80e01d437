// The tests in four tiers (vitest projects), both packages together:
//   unit     no sandbox, no browser, no Postgres: `npm run test:unit`, well under a minute;
//   sandbox  against the sandbox (in process, `onramp sandbox`, or the CLI's embedded default);
//   browser  a real Chromium;
//   slow     stability loops, soaks (a monitor against an upstream inventing codes, 30 s) and packaging (npm
//            pack, installs outside the repository).
// `npm test` runs them all. A test file belongs to the first tier whose list names it.
import { fileURLToPath } from 'node:url';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

const UNIT = [
  'packages/onramp/test/config/{config,hint-keys,precompiled-validator}.test.ts',
  'packages/onramp/test/contracts/{schemas,verified}.test.ts',
  'packages/onramp/test/engine/{named-checks,start-order,transport,platform-codes,failure-codes,idp-request-id,content-encoding,expected-code,empty-body,audit-correlation,retry-after,journey-check,trace-redaction,step-ids,require}.test.ts',
  'packages/onramp/test/failures/*.test.ts',
  'packages/onramp/test/monitor/{artifacts,config,deploy,leftovers,metrics-golden,rules,scheduler,server,status-page-render}.test.ts',
  'packages/onramp/test/reporters/reporters.test.ts',
  'packages/onramp/test/triage/{compare-checklist,config-logs,logs-loki,scrub,bundle-path,audit-collector}.test.ts',
  'packages/onramp/test/cli/{help,config-errors}.test.ts',
  'packages/onramp/test/app/*.test.ts',
  'packages/onramp/test/lint/*.test.ts',
  'packages/onramp/test/playwright/setup.test.ts',
  'packages/sandbox/test/db/url.test.ts',
  'packages/sandbox/test/logs/*.test.ts',
  'packages/sandbox/test/idp/pages.test.ts',
  'packages/sandbox/test/sandbox/fault-coverage.test.ts',
];
const BROWSER = [
  'packages/onramp/test/cli/run-browser.test.ts',
  'packages/onramp/test/cli/trace-secrets.test.ts',
  'packages/onramp/test/cli/triage-retest-browser.test.ts',
  'packages/onramp/test/config/browser-config.test.ts',
  'packages/onramp/test/engine/browser-executor.test.ts',
  'packages/onramp/test/journeys/journeys.test.ts',
  'packages/onramp/test/monitor/status-page.test.ts',
  'packages/onramp/test/reporters/html-report.test.ts',
  'packages/onramp/test/playwright/html-report.test.ts',
  'packages/sandbox/test/console/console-browser.test.ts',
  'packages/sandbox/test/idp/browser-login.test.ts',
];
const SLOW = ['packages/onramp/test/journeys/{stability,browser-stability}.test.ts', 'packages/onramp/test/monitor/platform-codes.test.ts', 'packages/onramp/test/cli/bin-dist.test.ts', 'packages/onramp/test/cli/run-cancel-load.test.ts', 'packages/onramp/test/cli/run-faults-running-sandbox.test.ts', 'packages/onramp/test/packaging/*.test.ts'];
const ALL = 'packages/*/test/**/*.test.ts';

const tier = (name: string, include: string[], exclude: string[] = []): TestProjectInlineConfiguration => ({
  extends: true,
  test: { name, include, exclude: ['**/node_modules/**', ...exclude] },
});

export default defineConfig({
  resolve: {
    // In this repository the packages run from their sources, as the type checker sees them.
    alias: [
      { find: /^@onramp\/sandbox$/, replacement: fileURLToPath(new URL('packages/sandbox/src/index.ts', import.meta.url)) },
      { find: /^onramp$/, replacement: fileURLToPath(new URL('packages/onramp/src/index.ts', import.meta.url)) },
      { find: /^onramp\/config$/, replacement: fileURLToPath(new URL('packages/onramp/src/public/config.ts', import.meta.url)) },
      { find: /^onramp\/steps$/, replacement: fileURLToPath(new URL('packages/onramp/journeys/lib/index.ts', import.meta.url)) },
    ],
  },
  test: {
    globalSetup: ['test/support/build-dist.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: browser and Postgres tests are heavy, so files run two at a time at most.
    maxWorkers: 2,
    projects: [tier('unit', UNIT), tier('browser', BROWSER), tier('slow', SLOW), tier('sandbox', [ALL], [...UNIT, ...BROWSER, ...SLOW])],
  },
});
