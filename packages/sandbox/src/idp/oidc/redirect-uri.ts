// Keycloak's redirect URI matching: exact, or a pattern ending in "*" that matches any suffix.
export function redirectUriMatches(pattern: string, uri: string): boolean {
  if (pattern === uri) return true;
  if (pattern.endsWith('*')) {
    const prefix = pattern.slice(0, -1);
    // Without a query, Keycloak also accepts the bare prefix without its trailing slash.
    return uri.startsWith(prefix) || (prefix.endsWith('/') && uri === prefix.slice(0, -1));
  }
  return false;
}
