import { defineFault } from './fault.ts';

export default defineFault({
  name: 'keycloak_admin_credentials_missing',
  symptom: 8,
  title: '422 keycloak_admin_credentials_missing',
  description: 'The API runs as if the Keycloak admin URL/secret were missing.',
});
