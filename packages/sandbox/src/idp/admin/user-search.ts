// Keycloak's user search (JpaUserProvider) over the realm's users, for GET users and users/count:
// - `search`: every whitespace-separated word must match username, email, first or last name;
//   a word is a prefix match (`foo`, `foo*`), `*` is a wildcard (`*foo*` infix), `"foo"` is exact;
//   `id:<uuid>` finds one user by id.
// - username/email/firstName/lastName: case-insensitive infix, or equality with exact=true.
// - `q=key:value key2:"two words"`: custom attributes, exact (case-insensitive) unless exact=false.
// - service accounts are left out unless a field filter is used; results are ordered by username.
import type { StoredUser } from '../store/types.ts';

export interface UserQuery {
  idSearch?: string;
  words?: string[];
  fields: { key: 'username' | 'email' | 'firstName' | 'lastName'; value: string }[];
  attributes: { name: string; value: string }[];
  enabled?: boolean;
  emailVerified?: boolean;
  exact?: boolean;
  includeServiceAccounts: boolean;
}

const FIELD_KEYS = ['username', 'email', 'firstName', 'lastName'] as const;

function boolParam(p: URLSearchParams, name: string): boolean | undefined {
  const v = p.get(name);
  return v === null ? undefined : v.toLowerCase() === 'true';
}

/** The filters of a GET users (or users/count) query string. */
export function parseUserQuery(p: URLSearchParams): UserQuery {
  const search = p.get('search');
  const enabled = boolParam(p, 'enabled');
  const emailVerified = boolParam(p, 'emailVerified');
  const exact = boolParam(p, 'exact');
  const fields = FIELD_KEYS.flatMap((key) => (p.get(key) === null ? [] : [{ key, value: p.get(key)! }]));
  const attributes = parseSearchQuery(p.get('q') ?? '');
  if (search !== null) {
    if (search.startsWith('id:')) return { idSearch: search.slice(3).trim(), fields: [], attributes: [], includeServiceAccounts: true };
    return { words: search.trim().split(/\s+/).filter(Boolean), fields: [], attributes: [], enabled, includeServiceAccounts: false };
  }
  const filtered = fields.length > 0 || attributes.length > 0 || enabled !== undefined || emailVerified !== undefined || exact !== undefined;
  return { fields, attributes, enabled, emailVerified, exact, includeServiceAccounts: filtered };
}

/** Keycloak's SearchQueryUtils: `key:value` pairs separated by spaces, either side may be quoted. */
export function parseSearchQuery(q: string): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const m of q.matchAll(/(?:"([^"]*)"|([^\s:"]+)):(?:"([^"]*)"|(\S+))/g)) {
    out.push({ name: (m[1] ?? m[2])!, value: (m[3] ?? m[4])! });
  }
  return out;
}

export function matchUsers(users: StoredUser[], q: UserQuery): StoredUser[] {
  return users
    .filter((u) => matches(u, q))
    .sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
}

function matches(u: StoredUser, q: UserQuery): boolean {
  if (q.idSearch !== undefined) return u.id === q.idSearch;
  if (!q.includeServiceAccounts && u.serviceAccountClientId) return false;
  if (q.enabled !== undefined && u.enabled !== q.enabled) return false;
  if (q.emailVerified !== undefined && u.emailVerified !== q.emailVerified) return false;
  if (q.words && !q.words.every((w) => wordMatches(u, w))) return false;
  for (const { key, value } of q.fields) {
    const actual = (u[key] ?? '').toLowerCase();
    const wanted = value.toLowerCase();
    if (q.exact ? actual !== wanted : !(u[key] !== undefined && actual.includes(wanted))) return false;
  }
  const exactAttributes = q.exact ?? true;
  for (const { name, value } of q.attributes) {
    const wanted = value.toLowerCase();
    const values = (u.attributes[name] ?? []).map((v) => v.toLowerCase());
    if (!values.some((v) => (exactAttributes ? v === wanted : v.includes(wanted)))) return false;
  }
  return true;
}

function wordMatches(u: StoredUser, word: string): boolean {
  const w = word.toLowerCase();
  const candidates = [u.username, u.email, u.firstName, u.lastName].filter((v): v is string => v !== undefined).map((v) => v.toLowerCase());
  if (w.length >= 2 && w.startsWith('"') && w.endsWith('"')) return candidates.includes(w.slice(1, -1));
  // SQL LIKE with `*` as `%` and an implied trailing `%`.
  const pattern = w.endsWith('*') ? w : `${w}*`;
  const re = new RegExp(`^${pattern.split('*').map(escapeRe).join('.*')}$`, 's');
  return candidates.some((c) => re.test(c));
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Keycloak's paging: `first` defaults to 0, `max` to 100; a negative max means no limit. */
export function page<T>(items: T[], p: URLSearchParams): T[] {
  const first = Math.max(0, Number.parseInt(p.get('first') ?? '0', 10) || 0);
  const maxRaw = p.get('max');
  const max = maxRaw === null ? 100 : Number.parseInt(maxRaw, 10);
  return Number.isNaN(max) || max < 0 ? items.slice(first) : items.slice(first, first + max);
}
