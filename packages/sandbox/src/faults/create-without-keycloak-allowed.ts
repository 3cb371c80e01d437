import { defineFault } from './fault.ts';

export default defineFault({
  name: 'create_without_keycloak_allowed',
  symptom: 10,
  title: 'A user created without Keycloak',
  description: 'A "create without Keycloak" option on tenant user creation is honoured instead of rejected.',
});
