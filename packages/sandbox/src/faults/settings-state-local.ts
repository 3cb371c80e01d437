import { defineFault } from './fault.ts';

export default defineFault({
  name: 'settings_state_local',
  symptom: 13,
  title: 'A created enrollment token disappears after switching tabs',
  description: 'The console keeps Settings mutations in page-local state that is rebuilt from the first server snapshot on every tab switch.',
});
