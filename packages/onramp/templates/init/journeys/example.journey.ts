// An example journey, written by `onramp init`: the platform's system admin logs in, and the
// session endpoint answers for that token. One journey per file, `<id>.journey.ts`, its id the file
// name's stem; `npx onramp run --journey example` runs this one alone. The journeys' guide, and the
// building blocks of the built-in journeys (`import { systemAdminLogin, ... } from 'onramp/steps'`):
// node_modules/onramp/journeys/README.md.
import { defineJourney, http, login } from 'onramp';

export default defineJourney({
  id: 'example',
  title: 'The system admin logs in and gets a session',
  tags: ['api', 'example'],
  timeoutMs: 30_000,
  steps: [
    // The target's system admin (targets.NAME.system_admin in onramp.config.yaml; the embedded
    // sandbox brings its own), through the login client; the token is kept in ctx.vars.adminToken
    // and redacted from every report.
    login('system admin logs in', {
      user: (ctx) => ({ username: ctx.target.systemAdmin.username, password: ctx.target.systemAdmin.password.reveal() }),
      saveAs: 'adminToken',
    }),
    http('the session answers', {
      request: (ctx) => ({ method: 'GET', path: '/api/v1/session', token: ctx.vars.adminToken }),
      // Any other status fails the step with this code: name the symptom, as a runbook would.
      expect: { status: 200, failureCode: 'session_unavailable' },
      then: (res, ctx) => {
        ctx.check('is_system_admin', res.body?.is_system_admin, true, { code: 'session_wrong_user' });
      },
    }),
  ],
});
