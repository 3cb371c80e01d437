// Builds one correlation id's evidence from every collector, in the runbook's order, and writes
// the bundle folder: evidence.json and evidence.md. Nothing secret leaves: the target's secrets
// are replaced wherever they hid (a run's own are gone from its step results already), and
// secret-named fields, tokens and password hashes are masked (tests scan every bundle for them).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StepResult } from '../engine/results.ts';
import { redactDeep } from '../engine/redact.ts';
import { classify, classifyReported, isStepFailureCode, type ClassifiedAs } from '../failures/catalog.ts';
import { runChecklist, checklistCode } from './checklist.ts';
import { envelopeFromLog, envelopeFromStep } from './collectors/envelope.ts';
import { collectLogs } from './collectors/logs.ts';
import { collectScope } from './collectors/db-snapshot.ts';
import { collectAudit } from './collectors/audit.ts';
import { collectKeycloak } from './collectors/keycloak.ts';
import { resolveUser } from './resolve-user.ts';
import { reproducesInState } from './reproduces.ts';
import { renderMarkdown } from './markdown.ts';
import { unavailable, type BrowserStepEvidence, type Evidence, type FailureRef } from './evidence.ts';
import type { TriageSources } from './sources.ts';

export interface EvidenceRequest {
  source: 'run' | 'triage';
  correlationId: string | null;
  /** The failed step (from a run): its exchange gives the envelope and request. */
  step?: StepResult;
  failures?: FailureRef[];
  /** The code from the envelope the user saw (`--code`). */
  reportedCode?: string;
  /** `--user EMAIL|ID`. */
  user?: string;
  runId?: string;
  /** Where in time to look for log lines. */
  window: { startMs: number; endMs: number };
}

export async function collectEvidence(src: TriageSources, r: EvidenceRequest): Promise<Evidence> {
  const logs = await collectLogs(src.logs, r.correlationId, r.window);
  const logLines = logs.lines.available ? logs.lines.lines : [];
  // A db or idp step checked the effects of an earlier request: its envelope is that request's log line.
  const fromLog = () => envelopeFromLog(logLines.find((l) => Number(l.status) >= 400) ?? logLines[0], r.reportedCode, r.correlationId ?? '');
  const stepEnvelope = r.step?.http.length ? envelopeFromStep(r.step) : undefined;
  const envelope = stepEnvelope ?? (r.step && !logLines.length ? envelopeFromStep(r.step) : fromLog());
  const audit = await collectAudit(src, r.correlationId);
  const user = await resolveUser({ given: r.user, audit: audit.available ? audit.rows : [], envelope, logLines, sources: src });
  const db = await collectScope(src, user.id);
  // A run's step that found the IdP down or slow: asking it again would only wait (seconds per call
  // when slow) before the journey's cleanup may run; the bundle says why instead.
  const idpFailure = r.source === 'run' ? r.failures?.find((f) => f.code === 'keycloak_slow' || f.code === 'keycloak_down')?.code : undefined;
  const keycloak = idpFailure ? unavailable(`not asked: the failed step found the identity provider ${idpFailure === 'keycloak_slow' ? 'slow' : 'down'} (${idpFailure})`) : await collectKeycloak(src, user.id, db.available ? db : undefined, user.email);
  const checklist = runChecklist({ envelope, logLines, scope: db.available ? db : undefined, audit: audit.available ? audit.rows : undefined, correlationId: r.correlationId });
  const classification = classifyFirst(r.failures?.[0]?.code, r.reportedCode, checklistCode(checklist), envelope.available ? envelope.code : undefined);
  const code = classification.known ? classification.code : undefined;
  const failures = r.failures?.length ? r.failures : isStepFailureCode(code) ? [{ code }] : [];
  const evidence: Evidence = {
    version: 1,
    correlation_id: r.correlationId,
    created_at: new Date().toISOString(),
    source: r.source,
    target: { name: src.target.name, api_url: src.target.apiUrl },
    ...(r.runId ? { run_id: r.runId } : {}),
    failures,
    classification,
    checklist,
    envelope,
    logs,
    user: { id: user.id, resolved_from: user.resolved_from },
    ...(r.step?.kind === 'browser' ? { browser: browserEvidence(r.step) } : {}),
    db,
    audit,
    keycloak,
    reproduces: reproducesInState(code, db.available ? db : undefined),
  };
  return scrub(evidence, targetSecrets(src));
}

function browserEvidence(step: StepResult): BrowserStepEvidence {
  const artifact = (kind: 'screenshot' | 'trace') => step.artifacts?.find((a) => a.kind === kind)?.path ?? null;
  return { signed_in_as: step.browser?.signedInAs ?? null, screenshot: artifact('screenshot'), trace: artifact('trace'), last_correlation_id: step.browser?.lastCorrelationId ?? null, request_id: step.requestId?.id ?? null };
}

/**
 * The first of the candidates that has a row, in the runbook's order of trust: the run's failure
 * (a catalogue code), the code the user saw (`--code`: the platform's, or one copied from a report),
 * the checklist's verdict, the envelope's code (the platform's, through the aliases). None known:
 * the first given, unclassified.
 */
function classifyFirst(failure: string | undefined, reported: string | undefined, checklist: string | undefined, envelope: string | undefined): ClassifiedAs {
  const all = [failure && classify(failure), reported && classifyReported(reported), checklist && classify(checklist), envelope && classifyReported(envelope)].filter((c): c is ClassifiedAs => !!c);
  return all.find((c) => c.known) ?? all[0] ?? classify(undefined);
}

function targetSecrets(src: TriageSources): string[] {
  const t = src.target;
  const values = [t.adminClient.clientSecret, t.loginClient.clientSecret, t.systemAdmin.password, t.databaseUrl, t.sandbox?.controlToken].flatMap((s) => (s ? [s.reveal()] : []));
  // The database URL's password may show on its own (a driver's message).
  const dbPassword = URL.canParse(t.databaseUrl?.reveal() ?? '') ? decodeURIComponent(new URL(t.databaseUrl!.reveal()).password) : '';
  return [...values, dbPassword];
}

const SECRET_KEY = /password|secret|token|credential|hash|authorization|cookie/i;
// Keys that name a secret's metadata, not the secret: kept.
const HARMLESS_KEY = /^(temporary_password_pending|update_password_pending)$/;
const JWT = /eyJ[\w-]+\.[\w-]+\.[\w-]*/g;
const HASH = /\$argon2[a-z]*\$[^\s"]+|\$2[aby]\$\d+\$[./\w]{53}/g;

/** The evidence with secrets replaced: known values, secret-named fields, tokens and hashes. */
export function scrub<T>(value: T, secrets: Iterable<string>): T {
  const known = redactDeep(value, secrets);
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') {
      if (key && SECRET_KEY.test(key) && !HARMLESS_KEY.test(key) && !/^(Bearer|Basic) \[redacted\]$|^\[redacted\]$/.test(v)) return '[redacted]';
      return v.replace(JWT, '[redacted]').replace(HASH, '[redacted]');
    }
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(known) as T;
}

export async function writeBundle(dir: string, evidence: Evidence): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'evidence.json'), `${JSON.stringify(evidence, null, 2)}\n`);
  await writeFile(join(dir, 'evidence.md'), renderMarkdown(evidence));
}
