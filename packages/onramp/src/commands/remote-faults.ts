// Faults of a sandbox that outlives the run (`onramp sandbox`, named in the config with
// sandbox.control_token): switched on for the run through its control endpoint, off again after.
import { request } from 'undici';
import type { Target } from '../engine/target.ts';
import { failureReason } from '../engine/transport.ts';

/** Switches faults on or off; answers the sandbox's active list, or throws naming the URL and why. */
async function switchFaults(target: Target, change: { on?: string[]; off?: string[] }): Promise<string[]> {
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
    throw new Error(`cannot switch faults at ${url} (${failureReason(err)})`, { cause: err });
  }
  if (status !== 200) throw new Error(`switching faults at ${url} answered HTTP ${status}${body?.message ? `: ${body.message}` : ''}`);
  return body?.active ?? [];
}

/**
 * Switches `faults` on for a run; answers the active list and how to put the sandbox back as it was
 * found (only the faults this run turned on go off again).
 */
export async function faultsForRun(target: Target, faults: string[]): Promise<{ active: string[]; restore: () => Promise<unknown> }> {
  const before = await switchFaults(target, {});
  const turnedOn = faults.filter((f) => !before.includes(f));
  const active = await switchFaults(target, { on: faults });
  return { active, restore: async () => (turnedOn.length ? switchFaults(target, { off: turnedOn }) : undefined) };
}
