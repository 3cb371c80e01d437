import { defineFault } from './fault.ts';

export default defineFault({
  name: 'idp_down',
  symptom: 8,
  title: 'Identity provider unavailable',
  description: 'Keycloak answers 503 to everything: bootstrap fails with 422 keycloak_unavailable and logins fail.',
});
