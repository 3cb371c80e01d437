import { startSandbox } from './src/sandbox/start.ts';
import pino from 'pino';
for (let i = 0; i < 3; i++) {
  const t = performance.now(); const s = await startSandbox({ log: pino({ level: 'silent' }) }); console.log('total', Math.round(performance.now() - t)); await s.close();
}
