import { defineFault } from './fault.ts';

export default defineFault({
  name: 'signup_skips_posix_identity',
  symptom: 5,
  title: 'Missing personal bootstrap artifacts',
  description: 'Personal signup commits without the user_posix_identities row (runtime identity continuity).',
});
