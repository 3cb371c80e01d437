import { defineFault } from './fault.ts';

export default defineFault({
  name: 'logout_skips_end_session',
  symptom: 11,
  title: 'Login reuses the super-admin session',
  description: "Console logout clears only its own session and skips Keycloak's end-session, so the SSO session lives on.",
});
