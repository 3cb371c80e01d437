// Every API module registers its routes here; one module per resource.
import type { Router } from '../http/router.ts';
import type { ApiHandler } from '../http/request.ts';
import { registerSignup } from './signup.ts';
import { registerSession } from './session.ts';
import { registerProjects } from './projects.ts';
import { registerInstances } from './instances.ts';
import { registerUsersAdmin } from './users-admin.ts';
import { registerTenants } from './tenants.ts';
import { registerTenantUsers } from './tenant-users.ts';
import { registerAuditEvents } from './audit-events.ts';
import { registerEnrollmentTokens } from './enrollment-tokens.ts';
import { registerScimConnections } from './scim-connections.ts';

export function registerRoutes(router: Router<ApiHandler>): void {
  router.add('GET', '/healthz', async () => ({ status: 200, body: { status: 'ok' } }));
  for (const register of [registerSignup, registerSession, registerProjects, registerInstances, registerUsersAdmin, registerTenants, registerTenantUsers, registerAuditEvents, registerEnrollmentTokens, registerScimConnections]) {
    register(router);
  }
}
