import { defineFault } from './fault.ts';

export default defineFault({
  name: 'error_envelope_missing_correlation_id',
  symptom: 0,
  title: 'Error envelope without a correlation id',
  description: "Error responses carry no correlation_id in the body (the runbook's triage starts from it).",
});
