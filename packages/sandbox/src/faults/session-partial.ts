import { defineFault } from './fault.ts';

export default defineFault({
  name: 'session_partial',
  symptom: 4,
  title: 'Partial session: tenant or project missing in the shell',
  description: 'GET /api/v1/session omits tenant_id and project_id for users who have them.',
});
