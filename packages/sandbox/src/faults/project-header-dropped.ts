import { defineFault } from './fault.ts';

export default defineFault({
  name: 'project_header_dropped',
  symptom: 2,
  title: '400 invalid_request project-context-required where a header was sent',
  description: 'The API loses X-Project-ID on its way in (header propagation broken), so project-scoped calls fail although the client sent it.',
});
