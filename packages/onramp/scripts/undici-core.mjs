// undici as onramp's compiled code imports it (`import { Agent, request } from 'undici'`): the
// build points both the bundled CLI and dist/'s file-for-file modules here (dist/src/undici-core.js).
// The same Agent and request, from the installed undici's own modules, without undici's index.js,
// which loads all of undici (fetch, WebSocket, caches, mock agents, cookies, ...): that took about
// half of undici's share of a cold `onramp run`. The modules are shared with anything else in the
// process that loads undici (one module cache: the same Agent class, the same global dispatcher).
// Only these two names: importing another from 'undici' in the bundled sources fails the build.
// makeDispatcher is undici's (index.js, MIT licence), copied verbatim;
// test/packaging/undici-core.test.ts holds it to the installed undici's.
import { createRequire } from 'node:module';

// Not `require`: the bundle's banner declares that name in every chunk.
const load = createRequire(import.meta.url);
// In index.js's order: its side effects (global.js sets the global dispatcher) happen as they would.
const Dispatcher = load('undici/lib/dispatcher/dispatcher');
const Agent = load('undici/lib/dispatcher/agent');
const { InvalidArgumentError } = load('undici/lib/core/errors');
const util = load('undici/lib/core/util');
const api = load('undici/lib/api');
const { getGlobalDispatcher } = load('undici/lib/global');

Object.assign(Dispatcher.prototype, api);

function makeDispatcher (fn) {
  return (url, opts, handler) => {
    if (typeof opts === 'function') {
      handler = opts
      opts = null
    }

    if (!url || (typeof url !== 'string' && typeof url !== 'object' && !(url instanceof URL))) {
      throw new InvalidArgumentError('invalid url')
    }

    if (opts != null && typeof opts !== 'object') {
      throw new InvalidArgumentError('invalid opts')
    }

    if (opts && opts.path != null) {
      if (typeof opts.path !== 'string') {
        throw new InvalidArgumentError('invalid opts.path')
      }

      let path = opts.path
      if (!opts.path.startsWith('/')) {
        path = `/${path}`
      }

      url = new URL(util.parseOrigin(url).origin + path)
    } else {
      if (!opts) {
        opts = typeof url === 'object' ? url : {}
      }

      url = util.parseURL(url)
    }

    const { agent, dispatcher = getGlobalDispatcher() } = opts

    if (agent) {
      throw new InvalidArgumentError('unsupported opts.agent. Did you mean opts.client?')
    }

    return fn.call(dispatcher, {
      ...opts,
      origin: url.origin,
      path: url.search ? `${url.pathname}${url.search}` : url.pathname,
      method: opts.method || (opts.body ? 'PUT' : 'GET')
    }, handler)
  }
}

export const request = makeDispatcher(api.request);
export { Agent };
