// Every journey as a Playwright test (`npx playwright test`): see src/engine/browser/playwright-adapter.ts.
import { loadJourneys } from '../../src/engine/load-journeys.ts';
import { journeyTests, onrampConfig } from '../../src/engine/browser/playwright-adapter.ts';

const config = await onrampConfig();
journeyTests(await loadJourneys(config?.journeys.dir));
