import { defineFault } from './fault.ts';

export default defineFault({
  name: 'idp_slow',
  symptom: 8,
  title: 'Identity provider slow',
  description: 'Every Keycloak request takes 2.5 s longer, so bootstrap and login run into timeouts.',
});
