import { defineFault } from './fault.ts';

export default defineFault({
  name: 'session_role_fallback_auditor',
  symptom: 12,
  title: 'A new tenant shows the auditor view or hides tenant-admin actions',
  description: 'GET /api/v1/session falls back to role auditor for a tenant admin whose tenant has no workload data yet.',
});
