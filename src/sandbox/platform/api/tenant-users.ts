// Placeholder: routes arrive with the platform API work.
import type { Router } from '../http/router.ts';
import type { ApiHandler } from '../http/request.ts';

export function registerTenantUsers(_router: Router<ApiHandler>): void {}
