import { defineFault } from './fault.ts';

export default defineFault({
  name: 'project_error_nondeterministic',
  symptom: 2,
  title: 'Missing/invalid X-Project-ID is not a deterministic 400 invalid_request',
  description: 'A missing or malformed X-Project-ID answers a varying status and code from try to try instead of the same 400 invalid_request.',
});
