// Keycloak's password policy string (`length(12) and upperCase(1) and ...`) and its checks, with the
// message keys and English texts Keycloak answers with, in the order Keycloak evaluates them.

export interface PolicyViolation {
  /** Keycloak's message key, e.g. invalidPasswordMinLengthMessage. */
  error: string;
  /** Keycloak's English message, e.g. "Invalid password: minimum length 12.". */
  message: string;
}

interface Rule {
  check(password: string, username: string, n: number): boolean;
  error: string;
  message(n: number): string;
}

const count = (re: RegExp) => (s: string) => (s.match(re) ?? []).length;

const RULES: Record<string, Rule> = {
  length: {
    check: (p, _u, n) => [...p].length >= n,
    error: 'invalidPasswordMinLengthMessage',
    message: (n) => `Invalid password: minimum length ${n}.`,
  },
  maxLength: {
    check: (p, _u, n) => [...p].length <= n,
    error: 'invalidPasswordMaxLengthMessage',
    message: (n) => `Invalid password: maximum length ${n}.`,
  },
  digits: {
    check: (p, _u, n) => count(/\d/g)(p) >= n,
    error: 'invalidPasswordMinDigitsMessage',
    message: (n) => `Invalid password: must contain at least ${n} numerical digits.`,
  },
  lowerCase: {
    check: (p, _u, n) => count(/\p{Ll}/gu)(p) >= n,
    error: 'invalidPasswordMinLowerCaseCharsMessage',
    message: (n) => `Invalid password: must contain at least ${n} lower case characters.`,
  },
  upperCase: {
    check: (p, _u, n) => count(/\p{Lu}/gu)(p) >= n,
    error: 'invalidPasswordMinUpperCaseCharsMessage',
    message: (n) => `Invalid password: must contain at least ${n} upper case characters.`,
  },
  specialChars: {
    check: (p, _u, n) => count(/[^\p{L}\p{N}]/gu)(p) >= n,
    error: 'invalidPasswordMinSpecialCharsMessage',
    message: (n) => `Invalid password: must contain at least ${n} special characters.`,
  },
  notUsername: {
    check: (p, u) => !u || p.toLowerCase() !== u.toLowerCase(),
    error: 'invalidPasswordNotUsernameMessage',
    message: () => 'Invalid password: must not be equal to the username.',
  },
  notEmail: {
    check: () => true,
    error: 'invalidPasswordNotEmailMessage',
    message: () => 'Invalid password: must not be equal to the email.',
  },
};

export interface PasswordPolicy {
  /** The first violated rule, in policy order, as Keycloak reports one error at a time. */
  check(password: string, username: string): PolicyViolation | undefined;
  policies: { name: string; n: number }[];
}

/** Parses the policy string; unknown policy names are returned as problems rather than ignored. */
export function parsePasswordPolicy(spec: string): { policy: PasswordPolicy; problems: string[] } {
  const problems: string[] = [];
  const policies: { name: string; n: number }[] = [];
  for (const part of spec.split(/\s+and\s+/).map((s) => s.trim()).filter(Boolean)) {
    const m = /^([A-Za-z]+)(?:\((\d*)\))?$/.exec(part);
    const rule = m && RULES[m[1]!];
    if (!m || !rule) {
      problems.push(`unknown password policy "${part}"`);
      continue;
    }
    policies.push({ name: m[1]!, n: m[2] ? Number(m[2]) : defaultN(m[1]!) });
  }
  return {
    problems,
    policy: {
      policies,
      check(password, username) {
        for (const { name, n } of policies) {
          const rule = RULES[name]!;
          if (!rule.check(password, username, n)) return { error: rule.error, message: rule.message(n) };
        }
        return undefined;
      },
    },
  };
}

function defaultN(name: string): number {
  return name === 'length' ? 8 : name === 'maxLength' ? 64 : 1;
}
