import { defineFault } from './fault.ts';

export default defineFault({
  name: 'weak_password_accepted',
  symptom: 10,
  title: 'A weak temporary password accepted',
  description: 'The server-side password policy check is skipped before Keycloak is called.',
});
