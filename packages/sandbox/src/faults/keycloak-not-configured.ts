import { defineFault } from './fault.ts';

export default defineFault({
  name: 'keycloak_not_configured',
  symptom: 8,
  title: '422 keycloak_not_configured',
  description: 'The API runs as if its Keycloak bootstrap configuration were absent.',
});
