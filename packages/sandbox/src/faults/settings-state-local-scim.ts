import { defineFault } from './fault.ts';

export default defineFault({
  name: 'settings_state_local_scim',
  symptom: 13,
  title: 'A created SCIM connection disappears after switching tabs',
  description: 'The console keeps SCIM connections in page-local Settings state that is rebuilt from the first server snapshot on every tab switch.',
});
