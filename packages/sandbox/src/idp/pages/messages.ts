// English texts of Keycloak 26.7.1's login theme (base/login/messages/messages_en.properties, after
// MessageFormat: `''` is already a single quote here). Where a recording exists, its text wins.

export const MESSAGES = {
  // Page titles and labels.
  loginAccountTitle: 'Sign in to your account',
  loginTitle: 'Sign in to {0}',
  errorTitle: 'We are sorry...',
  pageExpiredTitle: 'Page has expired',
  pageExpiredMsg1: 'To restart the login process',
  pageExpiredMsg2: 'To continue the login process',
  doClickHere: 'Click here',
  updatePasswordTitle: 'Update password',
  logoutConfirmTitle: 'Logging out',
  logoutConfirmHeader: 'Do you want to log out?',
  doLogout: 'Logout',
  doLogIn: 'Sign In',
  doSubmit: 'Submit',
  username: 'Username',
  usernameOrEmail: 'Username or email',
  password: 'Password',
  passwordNew: 'New Password',
  passwordConfirm: 'Confirm password',
  logoutOtherSessions: 'Sign out from other devices',
  restartLoginTooltip: 'Restart login',
  backToApplication: '« Back to Application',
  proceedWithAction: '» Click here to proceed',

  // Authentication and required-action feedback.
  invalidUserMessage: 'Invalid username or password.',
  accountDisabledMessage: 'Account is disabled, contact your administrator.',
  accountTemporarilyDisabledMessage: 'Account is temporarily disabled; contact your administrator or retry later.',
  differentUserAuthenticated: "You are already authenticated as different user '{0}' in this session. Please sign out first.",
  alreadyLoggedIn: 'You are already logged in.',
  notMatchPasswordMessage: "Passwords don't match.",
  missingPasswordMessage: 'Please specify password.',
  missingUsernameMessage: 'Please specify username.',
  updatePasswordMessage: 'You need to change your password to activate your account.',
  expiredActionMessage: 'Action expired. Please continue with login now.',
  expiredCodeMessage: 'Login timeout. Please sign in again.',
  loginTimeout: 'Your login attempt timed out.  Login will start from the beginning.',

  // Error pages (texts as recorded from Keycloak 26.7.1).
  invalidParameter: 'Invalid parameter: {0}',
  invalidRedirectUri: 'Invalid parameter: redirect_uri',
  invalidIdTokenHint: 'Invalid parameter: id_token_hint',
  invalidRedirectUriLogout: 'Invalid redirect uri',
  clientNotFound: 'Client not found.',
  clientDisabled: 'Client disabled.',
  missingParameter: 'Missing parameters: {0}',
  cookieNotFound:
    'Restart login cookie not found. It may have expired; it may have been deleted or cookies are disabled in your browser. If cookies are disabled then enable them. Click Back to Application to login again.',
  invalidRequest: 'Invalid Request',
  registrationNotAllowed: 'Registration not allowed',
  invalidCodeMessage: 'An error occurred, please login again through your application.',
  staleCodeMessage: 'This page is no longer valid, please go back to your application and sign in again',
  sessionNotActiveMessage: 'Session not active.',
  realmNotEnabledMessage: 'Realm not enabled',
  standardFlowDisabledMessage:
    'Client is not allowed to initiate browser login with given response_type. Standard flow is disabled for the client.',
  pageNotFound: 'Page not found',
  internalServerError: 'An internal server error has occurred',

  // Logout.
  loggedOut: 'You are logged out',
  failedLogout: 'Logout failed',
} as const;

export type MessageKey = keyof typeof MESSAGES;

/** MessageFormat-style `{0}`, `{1}` substitution; placeholders without an argument stay as they are. */
export function format(message: string, ...args: Array<string | number>): string {
  return message.replace(/\{(\d+)\}/g, (whole, index: string) => {
    const arg = args[Number(index)];
    return arg === undefined ? whole : String(arg);
  });
}
