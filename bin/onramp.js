#!/usr/bin/env node
// Runs the TypeScript CLI straight from the checkout through tsx, so `npx onramp` works after
// `npm ci` with no build step to remember.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
