// The Settings tab's fixed markup per role. The lists inside are drawn by the client script from
// console state, so a mutation shows up without a reload.
import { esc } from './html.ts';
import { securityNotice } from './notice.ts';
import { capabilitiesOf, type ShellView } from './view-model.ts';

const TENANT_USER_ROLES = ['tenant_admin', 'operator', 'auditor'];
/** The platform's providers (api/scim-connections.ts) with the names people know them by. */
const SCIM_PROVIDERS = [['okta', 'Okta'], ['entra_id', 'Microsoft Entra ID'], ['google_workspace', 'Google Workspace'], ['other', 'Other']] as const;

function enrollmentTokens(): string {
  return `<section class="card" data-testid="tenant-admin-actions">
  <h2>Agent enrollment tokens</h2>
  <form id="enrollment-token-form" class="inline-form" autocomplete="off">
    <label>Token name <input name="name" data-testid="enrollment-token-name" required maxlength="100"></label>
    <button type="submit" data-testid="enrollment-token-create">Create token</button>
  </form>
  <div class="secret" id="enrollment-token-secret-box" hidden>
    <p>Copy the token now: it is not shown again.</p>
    <code data-testid="enrollment-token-secret"></code>
  </div>
  <table class="list"><thead><tr><th>Name</th><th>Prefix</th><th>Expires</th></tr></thead><tbody id="enrollment-token-rows"></tbody></table>
  <p class="empty" id="enrollment-token-empty">No enrollment tokens yet.</p>
</section>`;
}

function scimConnections(): string {
  const providers = SCIM_PROVIDERS.map(([value, label]) => `<option value="${esc(value)}">${esc(label)}</option>`).join('');
  return `<section class="card" data-testid="scim-connections">
  <h2>SCIM connections</h2>
  <p class="hint">Which directory provisions this tenant's users.</p>
  <form id="scim-connection-form" class="inline-form" autocomplete="off">
    <label>Connection name <input name="name" data-testid="scim-connection-name" required maxlength="100"></label>
    <label>Directory <select name="provider" data-testid="scim-connection-provider">${providers}</select></label>
    <button type="submit" data-testid="scim-connection-create">Add connection</button>
  </form>
  <table class="list"><thead><tr><th>Name</th><th>Directory</th><th>Created</th><th></th></tr></thead><tbody id="scim-connection-rows"></tbody></table>
  <p class="empty" id="scim-connection-empty">No SCIM connections yet.</p>
</section>`;
}

// The platform's slug rule (api/tenants.ts). Browsers compile a pattern attribute with the v flag,
// where "-" inside a class must be escaped: unescaped, Chromium logs the pattern as invalid and
// enforces nothing.
export const SLUG_PATTERN = String.raw`[a-z0-9][a-z0-9\-]{1,61}[a-z0-9]`;

function tenantAdministration(): string {
  const roleOptions = TENANT_USER_ROLES.map((r) => `<option value="${esc(r)}">${esc(r)}</option>`).join('');
  return `<section class="card" data-testid="system-admin-actions">
  <h2>Tenants</h2>
  <form id="tenant-form" class="inline-form" autocomplete="off">
    <label>Name <input name="name" data-testid="tenant-name" required maxlength="200"></label>
    <label>Slug <input name="slug" data-testid="tenant-slug" required maxlength="63" pattern="${SLUG_PATTERN}" title="3-63 lower-case letters, digits or hyphens, starting and ending with a letter or digit"></label>
    <button type="submit" data-testid="tenant-create">Create tenant</button>
  </form>
  <table class="list"><thead><tr><th>Name</th><th>Slug</th><th>Id</th></tr></thead><tbody id="tenant-rows"></tbody></table>
  <p class="empty" id="tenant-empty">No tenants yet.</p>
</section>
<section class="card">
  <h2>Bootstrap a tenant user</h2>
  <form id="bootstrap-form" class="grid-form" autocomplete="off">
    <label>Tenant <select name="tenant_id" data-testid="bootstrap-tenant" required></select></label>
    <label>User id <input name="user_id" data-testid="bootstrap-user-id" required></label>
    <label>Display name <input name="display_name" data-testid="bootstrap-display-name" required></label>
    <label>Email <input name="email" type="email" data-testid="bootstrap-email" required></label>
    <label>Role <select name="role" data-testid="bootstrap-role">${roleOptions}</select></label>
    <label>Temporary password <input name="initial_password" type="password" autocomplete="new-password" data-testid="bootstrap-password" required></label>
    <button type="submit" data-testid="bootstrap-submit">Create user</button>
  </form>
  <p class="result" role="status" data-testid="bootstrap-result" hidden></p>
  <div id="verification" hidden>
    <h3>Keycloak verification</h3>
    <p id="verification-summary" data-testid="verification-summary"></p>
    <table class="list" data-testid="verification-table"><thead><tr><th>Check</th><th>Expected</th><th>Actual</th><th>Result</th></tr></thead><tbody id="verification-rows"></tbody></table>
  </div>
</section>`;
}

export function renderSettings(view: ShellView): string {
  const role = view.session?.role;
  const caps = capabilitiesOf(role);
  const notice = securityNotice(caps, { readonlyLabel: view.faults.readonlyLabel, role });
  const parts = [`<p class="notice notice-${notice.tone}" data-testid="security-notice">${esc(notice.text)}</p>`];
  if (caps.tenantAdmin) parts.push(enrollmentTokens(), scimConnections());
  if (caps.systemAdmin) parts.push(tenantAdministration());
  if (!caps.tenantAdmin && !caps.systemAdmin) parts.push('<p class="empty">There are no settings you can change.</p>');
  return parts.join('\n');
}
