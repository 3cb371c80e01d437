import { defineFault } from './fault.ts';

export default defineFault({
  name: 'admin_user_missing_project_membership',
  symptom: 6,
  title: 'Admin-created user without default-project membership',
  description: 'Tenant user bootstrap commits the tenant membership but not the default-project membership.',
});
