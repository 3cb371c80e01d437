import { defineFault } from './fault.ts';

export default defineFault({
  name: 'audit_missing_correlation',
  symptom: 6,
  title: "Admin-created user without its audit row's correlation id",
  description: "The user.create audit row is written without the request's correlation id.",
});
