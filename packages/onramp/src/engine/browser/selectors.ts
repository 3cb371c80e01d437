// Where the browser journeys click and read: CSS selectors by name, one set for the console and
// one for the identity provider's pages. The defaults fit the sandbox console (its data-testids)
// and Keycloak's keycloak.v2 theme; a config maps another console or theme without code changes.

const testId = (id: string) => `[data-testid="${id}"]`;

export const DEFAULT_SELECTORS = {
  console: {
    sign_in: testId('sign-in'),
    switch_user: testId('switch-user'),
    signed_out: testId('signed-out'),
    logout: testId('logout'),
    shell_role: testId('shell-role'),
    shell_user: testId('shell-user'),
    shell_tenant: testId('shell-tenant'),
    shell_project: testId('shell-project'),
    error_banner: testId('error-banner'),
    tab_overview: testId('tab-overview'),
    tab_settings: testId('tab-settings'),
    panel_overview: testId('panel-overview'),
    panel_settings: testId('panel-settings'),
    security_notice: testId('security-notice'),
    tenant_admin_actions: testId('tenant-admin-actions'),
    enrollment_token_name: testId('enrollment-token-name'),
    enrollment_token_create: testId('enrollment-token-create'),
    enrollment_token_secret: testId('enrollment-token-secret'),
    enrollment_token_row: testId('enrollment-token-row'),
    /** Inside a token row: the cell with the token's name. */
    enrollment_token_row_name: 'td.name',
    /** Inside the error banner: the error code (the platform's). */
    error_code: '[data-testid="error-banner"] .error-code',
    tenant_name: testId('tenant-name'),
    tenant_slug: testId('tenant-slug'),
    tenant_create: testId('tenant-create'),
    tenant_row: testId('tenant-row'),
    /** Inside a tenant row: the cells with its slug and its id. */
    tenant_row_slug: 'td.slug',
    tenant_row_id: 'td.id',
    bootstrap_tenant: testId('bootstrap-tenant'),
    bootstrap_user_id: testId('bootstrap-user-id'),
    bootstrap_display_name: testId('bootstrap-display-name'),
    bootstrap_email: testId('bootstrap-email'),
    bootstrap_role: testId('bootstrap-role'),
    bootstrap_password: testId('bootstrap-password'),
    bootstrap_submit: testId('bootstrap-submit'),
    /** One Keycloak check of a bootstrap; its cells: check, expected, actual, result ("ok" when green). */
    verification_row: testId('verification-row'),
    verification_row_cell: 'td',
    verification_summary: testId('verification-summary'),
    scim_connection_name: testId('scim-connection-name'),
    scim_connection_create: testId('scim-connection-create'),
    scim_connection_row: testId('scim-connection-row'),
    /** Inside a SCIM connection row: the cell with its name. */
    scim_connection_row_name: 'td.name',
  },
  keycloak: {
    login_form: '#kc-form-login',
    username: '#username',
    password: '#password',
    login: '#kc-login',
    username_error: '#input-error-username',
    update_password_form: '#kc-passwd-update-form',
    password_new: '#password-new',
    password_confirm: '#password-confirm',
    submit: '#kc-submit',
    /** The page-level alert (e.g. "Invalid password: minimum length 12."). */
    page_error: '.pf-v5-c-alert.pf-m-danger .kc-feedback-text',
    /** Keycloak's error page text (e.g. "already authenticated as different user"). */
    error_message: '#kc-error-message',
  },
};

export type Selectors = { [G in keyof typeof DEFAULT_SELECTORS]: Record<keyof (typeof DEFAULT_SELECTORS)[G], string> };
export type SelectorOverrides = { [G in keyof Selectors]?: Partial<Selectors[G]> };

/** The defaults with a config's overrides on top, group by group. */
export function resolveSelectors(overrides: SelectorOverrides = {}): Selectors {
  return {
    console: { ...DEFAULT_SELECTORS.console, ...overrides.console },
    keycloak: { ...DEFAULT_SELECTORS.keycloak, ...overrides.keycloak },
  };
}
