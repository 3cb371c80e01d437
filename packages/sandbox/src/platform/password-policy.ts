// The platform's own password policy (OP-071), checked before Keycloak is ever called: 12+
// characters, an upper-case letter, a lower-case letter, a digit, a symbol, and none of the
// tenant's terms (slug or name). Every rule that fails is reported, not just the first.
export interface PasswordViolation {
  rule: 'min_length' | 'uppercase' | 'lowercase' | 'digit' | 'symbol' | 'tenant_term';
  message: string;
}

export function checkPassword(password: string, tenantTerms: string[] = []): PasswordViolation[] {
  const out: PasswordViolation[] = [];
  if ([...password].length < 12) out.push({ rule: 'min_length', message: 'must be at least 12 characters long' });
  if (!/\p{Lu}/u.test(password)) out.push({ rule: 'uppercase', message: 'must contain an upper-case letter' });
  if (!/\p{Ll}/u.test(password)) out.push({ rule: 'lowercase', message: 'must contain a lower-case letter' });
  if (!/\p{N}/u.test(password)) out.push({ rule: 'digit', message: 'must contain a digit' });
  if (!/[^\p{L}\p{N}]/u.test(password)) out.push({ rule: 'symbol', message: 'must contain a symbol' });
  const lower = password.toLowerCase();
  // Terms shorter than 3 characters would reject too much by accident.
  const hit = tenantTerms.map((t) => t.trim().toLowerCase()).filter((t) => t.length >= 3).find((t) => lower.includes(t));
  if (hit) out.push({ rule: 'tenant_term', message: `must not contain the tenant term "${hit}"` });
  return out;
}
