// Whose scope records to snapshot: the user the operator names (--user), else the one the audit
// rows of the correlation id are about (user.create, user.signup), else the one the envelope's
// answer names, else the caller of the request in the API log.
import type { AuditRow, EnvelopeEvidence, Section } from './evidence.ts';
import { whyUnavailable, type TriageSources } from './sources.ts';

export interface ResolvedUser {
  id: string | null;
  resolved_from: string;
  email?: string;
}

export async function resolveUser(o: { given?: string; audit: AuditRow[]; envelope: Section<EnvelopeEvidence>; logLines: Record<string, unknown>[]; sources: TriageSources }): Promise<ResolvedUser> {
  if (o.given) return byIdOrEmail(o.given, o.sources);
  const subject = o.audit.find((r) => r.action.startsWith('user.') && r.target_id)?.target_id;
  if (subject) return { id: subject, resolved_from: `audit row ${o.audit.find((r) => r.target_id === subject)!.action}` };
  const body = o.envelope.available ? (o.envelope.body as Record<string, unknown> | undefined) : undefined;
  const fromBody = (body?.user as { id?: unknown } | undefined)?.id ?? body?.user_id;
  if (typeof fromBody === 'string') return { id: fromBody, resolved_from: 'the answer body' };
  const caller = o.logLines.find((l) => typeof l.user_id === 'string')?.user_id as string | undefined;
  if (caller) return { id: caller, resolved_from: 'the API log line (the caller of the request)' };
  return { id: null, resolved_from: 'unresolved: no audit row, answer or log line names a user (give --user EMAIL|ID)' };
}

async function byIdOrEmail(given: string, sources: TriageSources): Promise<ResolvedUser> {
  if (!given.includes('@')) return { id: given, resolved_from: '--user' };
  if (sources.dbUnavailable()) return { id: null, email: given, resolved_from: '--user (an email; the platform user id needs the database)' };
  let row: { id: string } | undefined;
  try {
    [row] = await sources.db((q) => q<{ id: string }>('SELECT id FROM platform.users WHERE lower(email) = lower($1)', [given]));
  } catch (err) {
    return { id: null, email: given, resolved_from: `--user (an email): ${whyUnavailable('the lookup by email', err)}` };
  }
  return { id: row?.id ?? null, email: given, resolved_from: row ? '--user (by email)' : `--user: no platform user with email ${given}` };
}
