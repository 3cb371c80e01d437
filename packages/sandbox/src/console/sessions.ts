// Server-side console sessions (backend-for-frontend): tokens stay here, the browser only holds an
// opaque random id. Memory only: a sandbox console restart signs everyone out, which is fine.
import { randomBytes } from 'node:crypto';

export interface PendingLogin {
  state: string;
  codeVerifier: string;
  startedAt: number;
}

export interface SessionTokens {
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
  /** Epoch ms at which the access token expires. */
  expiresAt: number;
  /** Claims of the ID token, for naming the user when the platform cannot. */
  claims: Record<string, unknown>;
}

export interface ConsoleSession {
  id: string;
  pending?: PendingLogin;
  tokens?: SessionTokens;
  /** An in-flight refresh, shared so parallel requests do not spend the refresh token twice. */
  refreshing?: Promise<SessionTokens | undefined>;
  lastSeen: number;
}

// Longer than the realm's SSO max lifespan (10 h): past that the refresh token is dead anyway.
const MAX_IDLE_MS = 10 * 60 * 60 * 1000;
const PENDING_MAX_MS = 30 * 60 * 1000;

export class SessionStore {
  private readonly sessions = new Map<string, ConsoleSession>();

  get(id: string | undefined, now = Date.now()): ConsoleSession | undefined {
    if (!id) return undefined;
    const s = this.sessions.get(id);
    if (!s) return undefined;
    if (now - s.lastSeen > MAX_IDLE_MS) {
      this.sessions.delete(id);
      return undefined;
    }
    if (s.pending && now - s.pending.startedAt > PENDING_MAX_MS) s.pending = undefined;
    s.lastSeen = now;
    return s;
  }

  create(now = Date.now()): ConsoleSession {
    this.sweep(now);
    const s: ConsoleSession = { id: randomBytes(32).toString('base64url'), lastSeen: now };
    this.sessions.set(s.id, s);
    return s;
  }

  delete(id: string): void {
    this.sessions.delete(id);
  }

  private sweep(now: number): void {
    for (const [id, s] of this.sessions) if (now - s.lastSeen > MAX_IDLE_MS) this.sessions.delete(id);
  }
}
