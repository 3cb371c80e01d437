import { defineFault } from './fault.ts';

export default defineFault({
  name: 'drift_not_reported',
  symptom: 15,
  title: 'Drift between the platform and Keycloak not reported',
  description: 'The verify endpoint and the reconciliation worker report every check as ok and emit no drift events.',
});
