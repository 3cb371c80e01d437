// What onramp_build_info and onramp_target_info say: which onramp, on which Node, with which
// journeys, against which target. Labels only; each series is a gauge of 1.
import { createHash } from 'node:crypto';
import { stepId, type JourneyDefinition } from '../engine/journey.ts';
import type { Target } from '../engine/target.ts';
import { ONRAMP_VERSION } from '../version.ts';

export interface BuildInfo {
  version: string;
  node: string;
  /** Changes when a journey or a step is added, removed, renamed by id or changes kind; not when a title is reworded. */
  journeys_hash: string;
}

export interface TargetInfo {
  target: string;
  api_url: string;
  /** "true" for the embedded sandbox and a running `onramp sandbox` (a target with sandbox.control_token): not the platform. */
  sandbox: 'true' | 'false';
}

/** The first 12 hex digits of a SHA-256 over the journeys' ids and their steps' ids and kinds, in id order. */
export function journeysHash(journeys: JourneyDefinition[]): string {
  const shape = [...journeys].sort((a, b) => a.id.localeCompare(b.id)).map((j) => [j.id, j.steps.map((s) => `${stepId(s)}:${s.kind}`)]);
  return createHash('sha256').update(JSON.stringify(shape)).digest('hex').slice(0, 12);
}

export const buildInfo = (journeys: JourneyDefinition[]): BuildInfo => ({ version: ONRAMP_VERSION, node: process.version, journeys_hash: journeysHash(journeys) });

/** The API URL without credentials, query or fragment: a label must never carry a secret. */
export function targetInfo(t: Target): TargetInfo {
  let apiUrl = t.apiUrl;
  try {
    const u = new URL(t.apiUrl);
    apiUrl = `${u.protocol}//${u.host}${u.pathname.replace(/\/$/, '')}`;
  } catch {
    // Not a URL (a test's placeholder): shown as it is.
  }
  return { target: t.name, api_url: apiUrl, sandbox: t.sandbox ? 'true' : 'false' };
}
