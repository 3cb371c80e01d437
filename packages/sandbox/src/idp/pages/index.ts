// The IdP's HTML pages: pure functions from page inputs to Keycloak 26.7.1 keycloak.v2 markup.
export { renderLoginPage, type LoginPageInput } from './login.ts';
export { renderUpdatePasswordPage, type UpdatePasswordPageInput, type UpdatePasswordFieldErrors } from './update-password.ts';
export { renderErrorPage, type ErrorPageInput } from './error.ts';
export { renderPageExpired, type PageExpiredInput } from './page-expired.ts';
export { renderLogoutConfirmPage, type LogoutConfirmInput } from './logout-confirm.ts';
export { renderInfoPage, type InfoPageInput } from './info.ts';
export { MESSAGES, format, type MessageKey } from './messages.ts';
export { escapeHtml, RESOURCES_VERSION, RESOURCES_PATH, RESOURCES_COMMON_PATH, type RealmView } from './template.ts';
