// Keycloak's browser login under /realms/{realm}/login-actions/: the username/password form, the
// UPDATE_PASSWORD required action, the different-user check, and Keycloak's expiry and restart
// errors. Results go back to oidc-provider through its Interaction records.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { IdpContext, RealmRuntime } from '../context.ts';
import type { StoredUser } from '../store/types.ts';
import { readBody, send, sendHtml, sendJson } from '../http.ts';
import { checkPassword } from '../passwords.ts';
import { setUserPassword } from '../users.ts';
import { format, MESSAGES, renderErrorPage, renderLoginPage, renderPageExpired, renderUpdatePasswordPage } from '../pages/index.ts';
import { LOGIN_EXECUTION, parseClientData } from './provider.ts';
import { readCookies } from './cookies.ts';
import { redirectUriMatches } from './redirect-uri.ts';
import { policyHeaders } from './header-policy.ts';

export const AUTH_SESSION_COOKIE = 'AUTH_SESSION_ID';
const PENDING = 'KcAuthSession';
const UPDATE_PASSWORD = 'UPDATE_PASSWORD';

interface Pending {
  [key: string]: unknown;
  userId: string;
}

export function loginActionUrl(issuer: string, action: 'authenticate' | 'required-action', params: Record<string, string>): string {
  return `${issuer}/login-actions/${action}?${new URLSearchParams(params)}`;
}

export function createLoginActions(provider: Provider, ctx: IdpContext, rt: RealmRuntime, issuer: string) {
  const { realm } = rt;
  const view = { realm: realm.name, realmDisplayName: realm.displayName };
  const realmPath = new URL(issuer).pathname;
  const errorPage = (res: ServerResponse, status: number, message: string) => sendHtml(res, status, renderErrorPage({ ...view, message }));

  return async function handleLoginAction(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const action = url.pathname.slice(url.pathname.lastIndexOf('/') + 1);
    const q = url.searchParams;
    const clientDataRaw = q.get('client_data');
    const clientData = parseClientData(clientDataRaw);
    if (clientDataRaw && !clientData) return errorPage(res, 400, MESSAGES.invalidRequest);
    const client = realm.clients.find((c) => c.clientId === q.get('client_id'));

    if (action === 'restart') {
      if (!client || !clientData?.ru) return errorPage(res, 400, MESSAGES.invalidRequest);
      const restart = new URLSearchParams({ client_id: client.clientId, redirect_uri: clientData.ru, response_type: clientData.rt ?? 'code', scope: 'openid' });
      if (clientData.st) restart.set('state', clientData.st);
      return send(res, 302, '', { Location: `${issuer}/protocol/openid-connect/auth?${restart}` });
    }
    if (action !== 'authenticate' && action !== 'required-action') return errorPage(res, 404, MESSAGES.invalidRequest);

    let form = new URLSearchParams();
    if (req.method === 'POST') {
      const raw = await readBody(req, 64 * 1024);
      try {
        // Keycloak's form decoding rejects broken percent-escapes with a bare 500.
        for (const pair of raw.split('&')) decodeURIComponent(pair.replace(/\+/g, ' '));
      } catch {
        return sendJson(res, 500, { error: 'unknown_error', error_description: 'For more on this error consult the server log.' }, policyHeaders('loginActions', 'serverError'));
      }
      form = new URLSearchParams(raw);
    }

    const uid = readCookies(req)[AUTH_SESSION_COOKIE];
    if (!uid) return errorPage(res, 400, MESSAGES.cookieNotFound);
    const interaction = await provider.Interaction.find(uid);
    if (!interaction) return expired(res, clientData);
    const params = interaction.params as Record<string, string>;
    const pageParams = {
      client_id: params.client_id ?? '',
      tab_id: uid.slice(0, 11),
      client_data: clientDataRaw ?? '',
    };
    const restartUrl = (skipLogout: boolean) => `${realmPath}/login-actions/restart?${new URLSearchParams({ ...pageParams, skip_logout: String(skipLogout) })}`;

    if (action === 'authenticate') {
      if (q.get('session_code') !== uid && req.method === 'POST') return expired(res, clientData);
      if (q.get('execution') !== LOGIN_EXECUTION) {
        return sendHtml(res, 200, renderPageExpired({
          ...view,
          restartUrl: restartUrl(false),
          continueUrl: loginActionUrl(issuer, 'authenticate', { execution: LOGIN_EXECUTION, ...pageParams }),
        }));
      }
      const actionUrl = loginActionUrl(issuer, 'authenticate', { session_code: uid, execution: LOGIN_EXECUTION, ...pageParams });
      if (req.method !== 'POST') return sendHtml(res, 200, renderLoginPage({ ...view, actionUrl, loginRestartUrl: restartUrl(true) }));

      const username = (form.get('username') ?? '').trim();
      const user = await findLoginUser(username);
      const again = (message: string) => sendHtml(res, 200, renderLoginPage({ ...view, actionUrl, loginRestartUrl: restartUrl(true), username, error: message }));
      if (!user || !(await checkPassword(await ctx.store.getPassword(user.id), form.get('password') ?? ''))) return again(MESSAGES.invalidUserMessage);
      if (!user.enabled) return again(MESSAGES.accountDisabledMessage);
      const current = (interaction.session as { accountId?: string } | undefined)?.accountId;
      if (current && current !== user.id) {
        const other = await ctx.store.getUser(realm.name, current);
        return errorPage(res, 400, format(MESSAGES.differentUserAuthenticated, other?.username ?? current));
      }
      if (user.requiredActions.includes(UPDATE_PASSWORD)) {
        await ctx.store.oidc.upsert(PENDING, uid, { userId: user.id } satisfies Pending, 1800);
        return send(res, 302, '', { Location: loginActionUrl(issuer, 'required-action', { execution: UPDATE_PASSWORD, ...pageParams }), ...policyHeaders('loginActions', 'redirect') });
      }
      return finish(user);
    }

    // required-action
    const pending = (await ctx.store.oidc.find(PENDING, uid)) as Pending | undefined;
    const user = pending && (await ctx.store.getUser(realm.name, pending.userId));
    if (!user || q.get('execution') !== UPDATE_PASSWORD) return expired(res, clientData);
    const actionUrl = loginActionUrl(issuer, 'required-action', { execution: UPDATE_PASSWORD, ...pageParams });
    const page = (extra: { error?: string; fieldErrors?: { password?: string; 'password-confirm'?: string } } = {}) =>
      sendHtml(res, 200, renderUpdatePasswordPage({ ...view, actionUrl, loginRestartUrl: restartUrl(true), restartUrl: restartUrl(false), username: user.username, ...extra }));
    if (req.method !== 'POST') return page();
    const next = form.get('password-new') ?? '';
    const confirm = form.get('password-confirm') ?? '';
    if (!next) return page({ fieldErrors: { password: MESSAGES.missingPasswordMessage } });
    if (next !== confirm) return page({ fieldErrors: { 'password-confirm': MESSAGES.notMatchPasswordMessage } });
    const updated = await setUserPassword(ctx.store, rt, user, next, false);
    if (!updated.ok) return page({ error: String(updated.error.body.error_description ?? updated.error.body.error) });
    await ctx.store.oidc.destroy(PENDING, uid);
    return finish(updated.value);

    async function finish(who: StoredUser) {
      interaction!.result = { login: { accountId: who.id, remember: true } };
      await interaction!.save(Math.max(1, interaction!.exp - Math.floor(Date.now() / 1000)));
      send(res, 302, '', { Location: interaction!.returnTo, ...policyHeaders('loginActions', 'redirect') });
    }
  };

  async function findLoginUser(username: string): Promise<StoredUser | undefined> {
    const byName = await ctx.store.findUserByUsername(realm.name, username);
    if (byName || !realm.loginWithEmailAllowed || !username.includes('@')) return byName?.serviceAccountClientId ? undefined : byName;
    return ctx.store.findUserByEmail(realm.name, username);
  }

  /** An auth session that is gone: back to the client with Keycloak's authentication_expired. */
  function expired(res: ServerResponse, data: ReturnType<typeof parseClientData>) {
    const client = realm.clients.find((c) => data?.ru && c.redirectUris.some((p) => redirectUriMatches(p, data.ru!)));
    if (!client || !data?.ru) return errorPage(res, 400, MESSAGES.cookieNotFound);
    const target = new URL(data.ru);
    target.searchParams.set('error', 'temporarily_unavailable');
    target.searchParams.set('error_description', 'authentication_expired');
    if (data.st) target.searchParams.set('state', data.st);
    target.searchParams.set('iss', issuer);
    return send(res, 302, '', { Location: target.toString(), ...policyHeaders('loginActions', 'redirect') });
  }
}
