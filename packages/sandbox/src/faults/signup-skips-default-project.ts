import { defineFault } from './fault.ts';

export default defineFault({
  name: 'signup_skips_default_project',
  symptom: 1,
  title: 'Signup succeeds but the user is blocked on project-scoped APIs',
  description: 'Personal signup commits without the default project and its owner membership; project-scoped calls are then denied.',
});
