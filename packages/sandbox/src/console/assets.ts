// The console's static files, read once at start: a client script, a stylesheet and an icon (an
// SVG also at /favicon.ico, where browsers look without being told), no build step.
import { readFileSync } from 'node:fs';

const FILES: Record<string, { file: string; type: string }> = {
  '/assets/console.js': { file: 'console.js', type: 'text/javascript; charset=utf-8' },
  '/assets/console.css': { file: 'console.css', type: 'text/css; charset=utf-8' },
  '/favicon.ico': { file: 'favicon.svg', type: 'image/svg+xml' },
};

export type Assets = Map<string, { body: Buffer; type: string }>;

export function loadAssets(): Assets {
  return new Map(Object.entries(FILES).map(([path, f]) => [path, { body: readFileSync(new URL(`./assets/${f.file}`, import.meta.url)), type: f.type }]));
}
