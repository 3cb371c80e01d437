import { defineFault } from './fault.ts';

export default defineFault({
  name: 'settings_state_local_tenants',
  symptom: 13,
  title: "A tenant the system admin created disappears from Settings after switching tabs",
  description: "The console keeps the system admin's tenant rows in page-local Settings state that is rebuilt from the first server snapshot on every tab switch.",
});
