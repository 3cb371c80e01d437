// Every journey as a Playwright test (`npx playwright test`): see src/integrations/playwright.ts.
// The target, faults and journeys come from onramp's config and ONRAMP_CONFIG, ONRAMP_TARGET and
// ONRAMP_FAULTS; a problem with them stops the run here, before any test, with its message.
import { journeyTests, onrampSetup } from '../../src/integrations/playwright.ts';

journeyTests(await onrampSetup());
