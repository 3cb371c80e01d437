// Stand-in for Keycloak's authChecker.js. Keycloak polls its session cookies to move a tab along
// when the user signed in elsewhere; the sandbox has no such cross-tab behaviour, so both
// entry points exist for the pages' imports and do nothing.

export function startSessionPolling(_redirectUrl) {}

export function checkAuthSession(_authSessionIdHash) {}
