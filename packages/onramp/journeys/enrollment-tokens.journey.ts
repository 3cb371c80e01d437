// Agent enrollment tokens (OP-071 settings): a tenant admin creates one and sees its secret once;
// the list, which is what a console shows after a reload, keeps the metadata and never the secret.
// A self-signed-up user is the cheapest tenant admin: its personal tenant goes with it at cleanup.
import { defineJourney, http, login, failOnIdpError } from 'onramp';
import { cleanupAdminLogin, removeSignedUpUser, userSignedUp } from 'onramp/steps';

const METADATA = ['id', 'name', 'tenant_id', 'prefix', 'expires_at', 'created_at'] as const;

export default defineJourney({
  id: 'enrollment-tokens',
  title: 'A tenant admin creates an enrollment token; its secret is shown once and never listed',
  tags: ['api', 'settings'],
  timeoutMs: 30_000,
  steps: [
    http('sign up a tenant admin', {
      request: (ctx) => {
        const me = ctx.identity('admin');
        return { method: 'POST', path: '/api/v1/auth/personal/signup', body: { email: me.email, password: me.password, display_name: me.displayName } };
      },
      expect: { status: [201, 422], failureCode: 'signup_failed' },
      then: (res, ctx) => {
        failOnIdpError(res, ctx);
        ctx.vars.userId = res.body.user.id;
        ctx.vars.tenantId = res.body.tenant_id;
      },
    }),
    login('tenant admin logs in', { user: (ctx) => ({ username: ctx.identity('admin').email, password: ctx.identity('admin').password }), saveAs: 'token' }),
    http('create a token', {
      request: (ctx) => ({ method: 'POST', path: '/api/v1/agent-enrollment/tokens', token: ctx.vars.token, body: { name: `${ctx.identity('admin').username}-agent`, expires_in_hours: 1 } }),
      expect: { status: 201, failureCode: 'enrollment_token_create_failed' },
      then: (res, ctx) => {
        ctx.assert('secret shown at creation', typeof res.body.secret === 'string' && res.body.secret.length >= 16, { actual: typeof res.body.secret, expected: 'a secret string', code: 'enrollment_secret_missing' });
        // From here on the secret is redacted in every report.
        ctx.keepSecret('tokenSecret', res.body.secret);
        ctx.vars.created = Object.fromEntries(METADATA.map((k) => [k, res.body[k]]));
        ctx.check('token tenant_id', res.body.tenant_id, ctx.vars.tenantId, { code: 'enrollment_token_wrong_tenant' });
      },
    }),
    http('list shows the metadata, never the secret', {
      id: 'list-tokens-without-secret',
      request: (ctx) => ({ method: 'GET', path: '/api/v1/agent-enrollment/tokens', token: ctx.vars.token }),
      expect: { status: 200, failureCode: 'enrollment_tokens_unavailable' },
      then: (res, ctx) => {
        const tokens: Record<string, unknown>[] = res.body.tokens ?? [];
        const listed = tokens.find((t) => t.id === ctx.vars.created.id);
        ctx.assert('created token listed', listed !== undefined, { actual: tokens.map((t) => t.id), expected: `contains ${ctx.vars.created.id}`, code: 'enrollment_token_missing' });
        ctx.check('listed metadata', Object.fromEntries(METADATA.map((k) => [k, listed![k]])), ctx.vars.created, { code: 'enrollment_token_missing' });
        ctx.check('tokens carrying a secret field', tokens.filter((t) => 'secret' in t || 'secret_hash' in t).map((t) => t.id), [], { code: 'enrollment_secret_exposed' });
        ctx.assert('secret absent from the list body', !JSON.stringify(res.body).includes(ctx.vars.tokenSecret), { actual: 'the secret appears in the body', expected: 'no secret', code: 'enrollment_secret_exposed' });
      },
    }),
    cleanupAdminLogin(userSignedUp),
    removeSignedUpUser('remove the user, its tenant and tokens'),
  ],
});
