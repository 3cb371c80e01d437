import { defineFault } from './fault.ts';

export default defineFault({
  name: 'readonly_label',
  symptom: 14,
  title: '"Read-only mode" wording where mutation controls are available',
  description: 'The console\'s security notice says "Read-only mode" although mutation controls are shown.',
});
