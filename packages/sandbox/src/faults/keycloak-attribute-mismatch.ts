import { defineFault } from './fault.ts';

export default defineFault({
  name: 'keycloak_attribute_mismatch',
  symptom: 9,
  title: 'Verification table with red rows',
  description: 'The Keycloak user is created with a wrong tenant_id attribute, so read-back verification finds a mismatch.',
});
