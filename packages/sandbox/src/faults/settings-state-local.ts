import { defineFault } from './fault.ts';

export default defineFault({
  name: 'settings_state_local',
  symptom: 13,
  title: 'A created enrollment token disappears after switching tabs',
  description: 'The console keeps created enrollment tokens in page-local Settings state that is rebuilt from the first server snapshot on every tab switch.',
});
