import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The house's layering (see ARCHITECTURE.md), as import rules: a crossing import fails the lint.
const SANDBOX_PACKAGE = { group: ['@onramp/sandbox', '@onramp/sandbox/*'], message: 'onramp reaches the sandbox only through src/app/sandbox.ts (a dynamic import of its provider).' };
const PRODUCT_FROM_SANDBOX = { group: ['onramp', 'onramp/*', '**/onramp/src/**', '**/onramp/journeys/**', '**/packages/onramp/**'], message: 'the sandbox package imports nothing from the product.' };
const layer = (files, patterns) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns }] } });
const below = (message, ...dirs) => ({ group: dirs.flatMap((d) => [`../${d}/**`, `../../${d}/**`, `../../../${d}/**`, `./${d}/**`]), message });

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/dist.*.tmp/**', 'scratch/**', 'out/**', '**/playwright-report/**', '**/test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly', fetch: 'readonly', AbortSignal: 'readonly', AbortController: 'readonly', TextEncoder: 'readonly', structuredClone: 'readonly', URLSearchParams: 'readonly', setInterval: 'readonly', clearInterval: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests mutate arbitrary realm and response JSON to provoke each error.
    files: ['**/test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  // The sandbox, its tests and benches: nothing from the product.
  layer(['packages/sandbox/**/*.ts', 'packages/sandbox/**/*.mjs'], [PRODUCT_FROM_SANDBOX]),
  // The engine runs journeys: it knows no command, wiring, monitor, triage, reporter or integration.
  layer(['packages/onramp/src/engine/**/*.ts'], [SANDBOX_PACKAGE, below('the engine imports no commands, wiring, monitor, triage, reporters or integrations.', 'commands', 'app', 'monitor', 'triage', 'reporters', 'integrations')]),
  // Reporters and triage are both consumers of results: evidence links travel as data on the result.
  layer(['packages/onramp/src/reporters/**/*.ts'], [SANDBOX_PACKAGE, below('reporters consume results; they import no triage, monitor, commands or wiring.', 'triage', 'monitor', 'commands', 'app', 'integrations')]),
  layer(['packages/onramp/src/triage/**/*.ts'], [SANDBOX_PACKAGE, below('triage consumes results; it imports no reporters, monitor, commands or wiring.', 'reporters', 'monitor', 'commands', 'app', 'integrations')]),
  layer(['packages/onramp/src/monitor/**/*.ts', 'packages/onramp/src/config/**/*.ts', 'packages/onramp/src/contracts/**/*.ts'], [SANDBOX_PACKAGE, below('monitor, config and contracts import no commands, wiring or integrations.', 'commands', 'app', 'integrations')]),
  // The failure catalogue is the bottom layer: the engine, reporters, triage and the monitor all read it.
  layer(['packages/onramp/src/failures/**/*.ts'], [SANDBOX_PACKAGE, below('the failure catalogue imports nothing of onramp: every layer reads it.', 'engine', 'commands', 'app', 'monitor', 'triage', 'reporters', 'integrations', 'config', 'contracts')]),
  // Everything but the door itself reaches the sandbox through src/app/sandbox.ts.
  layer(['packages/onramp/src/commands/**/*.ts', 'packages/onramp/src/integrations/**/*.ts', 'packages/onramp/journeys/**/*.ts'], [SANDBOX_PACKAGE]),
  // Journeys are the examples users copy: the public API only, never the sources.
  layer(['packages/onramp/journeys/**/*.ts'], [SANDBOX_PACKAGE, { group: ['**/src/**'], message: "journeys import from 'onramp' and 'onramp/steps', like a user's would." }]),
);
