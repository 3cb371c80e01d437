// Placeholder until the theme resources land.
import type { Handler } from '../server.ts';
import { sendJson } from '../http.ts';

export const serveResource: Handler = async (_req, res) => sendJson(res, 404, { error: 'Not Found' });
