// Faults of a sandbox that outlives the run (`onramp sandbox`, named in the config with
// sandbox.control_token): switched on for the run through its control endpoint, off again after.
import { request } from 'undici';
import type { Target } from '../engine/target.ts';

/** Switches faults on or off; answers the sandbox's active list, or throws naming the URL and why. */
export async function switchFaults(target: Target, change: { on?: string[]; off?: string[] }): Promise<string[]> {
  const url = `${target.apiUrl.replace(/\/$/, '')}/__sandbox/faults`;
  let status: number;
  let body: { active?: string[]; message?: string } | undefined;
  try {
    const res = await request(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${target.sandbox!.controlToken.reveal()}`, 'content-type': 'application/json' },
      body: JSON.stringify(change),
      signal: AbortSignal.timeout(10_000),
    });
    status = res.statusCode;
    body = (await res.body.json().catch(() => undefined)) as typeof body;
  } catch (err) {
    const e = err as Error & { code?: string; cause?: { code?: string } };
    throw new Error(`cannot switch faults at ${url} (${e.cause?.code ?? e.code ?? e.message})`, { cause: err });
  }
  if (status !== 200) throw new Error(`switching faults at ${url} answered HTTP ${status}${body?.message ? `: ${body.message}` : ''}`);
  return body?.active ?? [];
}
