// The users and tenants platform API tests set up before the call they are about, as methods of
// the TestPlatform (startTestPlatform / useTestPlatform in ./platform.ts):
//   const owner = await env.signup('owner');                        // personal signup + token
//   const member = await env.addTenantMember(owner.tenant_id, 'member');  // straight in SQL
//   const t = await env.newTenant(admin, { prefix: 'acme', label: 'Acme' });
//   await env.api('POST', `/api/v1/admin/tenants/${t.id}/users`, { token: admin, body: env.tenantUserBody() });
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { keycloakAdmin } from '../../src/platform/keycloak.ts';
import { createUserWithPassword } from './users.ts';
import type { TestPlatform } from './platform.ts';

/** The password of the users the fixtures make (personal signups and SQL-made tenant members). */
export const PASSWORD = 'Correct-Horse-42';
/** The initial (temporary) password tenantUserBody gives a tenant user bootstrapped by a system admin. */
export const INITIAL_PASSWORD = 'Correct-Horse-9!';
/** The permanent password activeTenantUser sets in Keycloak for its user's first login. */
export const NEW_PASSWORD = 'Brand-New-Pass-42!';

/** The signup response body, plus the user's id and email. */
export interface SignedUp {
  id: string;
  email: string;
  org_id: string;
  tenant_id: string;
  project_id: string;
  role: string;
  user: { id: string; email: string; display_name: string };
}
export interface SignedUpWithToken extends SignedUp {
  token: string;
}

/** A Keycloak user who is a platform user of a tenant; `id` is the platform user id (= username). */
export interface TenantMember {
  id: string;
  username: string;
  /** The Keycloak user id (platform.users.idp_subject). */
  subject: string;
  password: string;
}
export interface TenantMemberWithToken extends TenantMember {
  token: string;
}

export interface Tenant {
  id: string;
  slug: string;
  name: string;
  org_id: string;
  default_project_id: string;
}

/** The body of POST /api/v1/admin/tenants/{tenant_id}/users. */
export interface TenantUserBody {
  user_id: string;
  display_name: string;
  role: string;
  email: string;
  initial_password: string;
}

export interface PlatformFixtures {
  /** `${prefix}-${n}-${4 random chars}`, n counting up per platform. */
  uniq(prefix: string): string;
  /** A personal signup (expects 201) as `display_name: tag`, logged in with PASSWORD. */
  signup(tag: string): Promise<SignedUpWithToken>;
  /** The same without the login. */
  signup(tag: string, o: { login: false }): Promise<SignedUp>;
  /** A tenant membership row, straight in SQL. */
  joinTenant(userId: string, tenantId: string, role: string): Promise<void>;
  /**
   * A Keycloak user with PASSWORD made in the IdP's store, a platform user in the tenant's org and
   * a member of the tenant with `role`, all straight in SQL; also a project member ('member') of
   * `projectId` if given. Logged in unless `login: false`.
   */
  addTenantMember(tenantId: string, role: string, o?: { projectId?: string }): Promise<TenantMemberWithToken>;
  addTenantMember(tenantId: string, role: string, o: { projectId?: string; login: false }): Promise<TenantMember>;
  /**
   * POST /api/v1/admin/tenants with slug uniq(prefix) and name `${label} ${slug}` unless `name`;
   * `expectCreated` checks the 201.
   */
  newTenant(adminToken: string, o?: { prefix?: string; label?: string; name?: string; expectCreated?: boolean }): Promise<Tenant>;
  /** A valid tenant_admin create body with user_id uniq(idPrefix) and a matching email, then `over`. */
  tenantUserBody(over?: Record<string, unknown>, idPrefix?: string): TenantUserBody & Record<string, unknown>;
  /**
   * A tenant user bootstrapped through the admin API (tenantUserBody(over), expects 201) who has
   * set NEW_PASSWORD as a permanent password, and their access token.
   */
  activeTenantUser(adminToken: string, tenantId: string, over?: Record<string, unknown>): Promise<{ id: string; subject: string; token: string }>;
}

type PlatformCore = Pick<TestPlatform, 'idp' | 'ctx' | 'pool' | 'api' | 'login'>;

export function platformFixtures(env: PlatformCore): PlatformFixtures {
  let seq = 0;
  const uniq = (prefix: string) => `${prefix}-${++seq}-${Math.random().toString(36).slice(2, 6)}`;
  const joinTenant = async (userId: string, tenantId: string, role: string) => {
    await env.pool.query('INSERT INTO platform.tenant_memberships (id, user_id, tenant_id, role) VALUES ($1, $2, $3, $4)', [randomUUID(), userId, tenantId, role]);
  };
  const tenantUserBody = (over: Record<string, unknown> = {}, idPrefix = 'u') => {
    const id = uniq(idPrefix);
    return { user_id: id, display_name: 'Tina Admin', role: 'tenant_admin', email: `${id}@example.test`, initial_password: INITIAL_PASSWORD, ...over } as TenantUserBody & Record<string, unknown>;
  };
  return {
    uniq,
    joinTenant,
    tenantUserBody,
    async signup(tag: string, o: { login?: boolean } = {}): Promise<any> {
      const email = `${tag}-${randomUUID().slice(0, 8)}@example.test`;
      const res = await env.api('POST', '/api/v1/auth/personal/signup', { body: { email, password: PASSWORD, display_name: tag } });
      expect(res.status).toBe(201);
      const made = { ...res.body, id: res.body.user.id as string, email };
      return o.login === false ? made : { ...made, token: await env.login(email, PASSWORD) };
    },
    async addTenantMember(tenantId: string, role: string, o: { projectId?: string; login?: boolean } = {}): Promise<any> {
      const kc = await createUserWithPassword(env.idp, PASSWORD);
      const [{ org_id: orgId }] = (await env.pool.query('SELECT org_id FROM platform.tenants WHERE id = $1', [tenantId])).rows;
      await env.pool.query('INSERT INTO platform.users (id, org_id, email, display_name, idp_subject) VALUES ($1, $2, $3, $4, $5)', [kc.username, orgId, `${kc.username}@example.test`, kc.username, kc.id]);
      await joinTenant(kc.username, tenantId, role);
      if (o.projectId) await env.pool.query(`INSERT INTO platform.project_memberships (id, user_id, project_id, role) VALUES ($1, $2, $3, 'member')`, [randomUUID(), kc.username, o.projectId]);
      const made = { id: kc.username, username: kc.username, subject: kc.id, password: kc.password };
      return o.login === false ? made : { ...made, token: await env.login(kc.username, PASSWORD) };
    },
    async newTenant(adminToken, o = {}) {
      const slug = uniq(o.prefix ?? 'tenant');
      const res = await env.api('POST', '/api/v1/admin/tenants', { token: adminToken, body: { name: o.name ?? `${o.label ?? 'Tenant'} ${slug}`, slug } });
      if (o.expectCreated) expect(res.status).toBe(201);
      return res.body as Tenant;
    },
    async activeTenantUser(adminToken, tenantId, over = {}) {
      const body = tenantUserBody(over);
      const res = await env.api('POST', `/api/v1/admin/tenants/${tenantId}/users`, { token: adminToken, body });
      expect(res.status).toBe(201);
      await (await keycloakAdmin(env.ctx)).users.resetPassword({ id: res.body.user.idp_subject, credential: { type: 'password', value: NEW_PASSWORD, temporary: false } });
      return { id: body.user_id, subject: res.body.user.idp_subject as string, token: await env.login(body.user_id, NEW_PASSWORD) };
    },
  };
}
