import { defineFault } from './fault.ts';

export default defineFault({
  name: 'authz_counts_deleted_memberships',
  symptom: 7,
  title: 'Authorization using soft-deleted membership rows',
  description: 'Authorization ignores deleted_at, so removed project members keep access.',
});
