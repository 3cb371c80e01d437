/* global document, history, location */
// The console's client script: tab switching without a reload, Settings mutations through the
// console's own /app/api endpoints, and the lists drawn from console state. Values only ever go
// into the page as textContent, never as HTML.
'use strict';

(function () {
  const stateEl = document.getElementById('console-state');
  if (!stateEl) return;
  const boot = JSON.parse(stateEl.textContent);
  const clone = (v) => JSON.parse(JSON.stringify(v));

  // Shell-level state: lives as long as the page, so Settings mutations survive tab switches.
  const shell = clone(boot.snapshot);
  // The settings_state_local faults (one per kind: tokens, scim, tenants): Settings keeps its own
  // copy of that list, remounted from the first server snapshot each time the tab is shown, which
  // is how a created item "disappears".
  let local = clone(boot.snapshot);
  const listOf = (kind) => (boot.localState[kind] ? local : shell)[kind];

  const $ = (id) => document.getElementById(id);
  const byTestId = (id) => document.querySelector('[data-testid="' + id + '"]');

  function arrayIn(body, keys) {
    if (Array.isArray(body)) return body;
    if (!body || typeof body !== 'object') return [];
    for (const k of keys) if (Array.isArray(body[k])) return body[k];
    return [];
  }
  const str = (v) => (v === undefined || v === null ? '' : String(v));

  function cell(row, text, cls) {
    const td = document.createElement('td');
    td.textContent = str(text);
    if (cls) td.className = cls;
    row.appendChild(td);
    return td;
  }

  function showError(body, status, correlationId) {
    const banner = byTestId('error-banner');
    if (!banner) return;
    const b = body && typeof body === 'object' ? body : {};
    const code = str(b.code || b.error || 'http_' + status);
    const corr = str(b.correlation_id || correlationId || 'none');
    banner.replaceChildren();
    const strong = document.createElement('strong');
    strong.className = 'error-code';
    strong.textContent = code;
    const msg = document.createElement('span');
    msg.className = 'error-message';
    msg.textContent = ' ' + str(b.detail || b.message || 'The request failed with HTTP ' + status + '.') + ' ';
    const c = document.createElement('span');
    c.className = 'error-correlation';
    c.append('correlation id: ');
    const codeEl = document.createElement('code');
    codeEl.textContent = corr;
    c.appendChild(codeEl);
    banner.append(strong, msg, c);
    banner.dataset.code = code;
    banner.dataset.correlationId = corr;
    banner.hidden = false;
  }

  function clearError() {
    const banner = byTestId('error-banner');
    if (!banner) return;
    banner.hidden = true;
    banner.replaceChildren();
    delete banner.dataset.code;
    delete banner.dataset.correlationId;
  }

  async function api(method, path, body) {
    const res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let data;
    try {
      data = await res.json();
    } catch {
      data = undefined;
    }
    return { ok: res.ok, status: res.status, data, correlationId: res.headers.get('x-correlation-id') };
  }

  // --- enrollment tokens -------------------------------------------------------------------
  function tokenMeta(t) {
    return {
      id: t.id,
      name: t.name,
      prefix: t.prefix || t.token_prefix || t.secret_prefix,
      expires_at: t.expires_at || t.expiresAt,
    };
  }

  function renderTokens() {
    const body = $('enrollment-token-rows');
    if (!body) return;
    const tokens = listOf('tokens');
    body.replaceChildren();
    for (const raw of tokens) {
      const t = tokenMeta(raw);
      const row = document.createElement('tr');
      row.dataset.testid = 'enrollment-token-row';
      cell(row, t.name, 'name');
      cell(row, t.prefix, 'prefix');
      cell(row, t.expires_at, 'expires');
      body.appendChild(row);
    }
    $('enrollment-token-empty').hidden = tokens.length > 0;
  }

  async function createToken(form) {
    const name = form.elements.name.value.trim();
    if (!name) return;
    const res = await api('POST', '/app/api/enrollment-tokens', { name });
    if (!res.ok) return showError(res.data, res.status, res.correlationId);
    clearError();
    const d = res.data || {};
    const meta = d.token && typeof d.token === 'object' ? d.token : d;
    const secret = typeof d.secret === 'string' ? d.secret : typeof d.token === 'string' ? d.token : '';
    const entry = tokenMeta(meta);
    listOf('tokens').push(entry);
    const box = $('enrollment-token-secret-box');
    byTestId('enrollment-token-secret').textContent = secret;
    box.hidden = false;
    form.reset();
    renderTokens();
  }

  // --- SCIM connections (tenant_admin) -------------------------------------------------------
  // A provider by the name the form's own options give it.
  function providerLabel(value) {
    const option = [...byTestId('scim-connection-provider').options].find((o) => o.value === value);
    return option ? option.textContent : value;
  }

  function renderScim() {
    const body = $('scim-connection-rows');
    if (!body) return;
    const connections = listOf('scim');
    body.replaceChildren();
    for (const c of connections) {
      const row = document.createElement('tr');
      row.dataset.testid = 'scim-connection-row';
      row.dataset.connectionId = str(c.id);
      cell(row, c.name, 'name');
      cell(row, providerLabel(c.provider), 'provider');
      cell(row, c.created_at, 'created');
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'button-secondary';
      remove.dataset.testid = 'scim-connection-remove';
      remove.textContent = 'Remove';
      remove.addEventListener('click', () => removeScim(c.id, remove));
      cell(row, '').appendChild(remove);
      body.appendChild(row);
    }
    $('scim-connection-empty').hidden = connections.length > 0;
  }

  async function createScim(form) {
    const res = await api('POST', '/app/api/scim-connections', { name: form.elements.name.value.trim(), provider: form.elements.provider.value });
    if (!res.ok) return showError(res.data, res.status, res.correlationId);
    clearError();
    listOf('scim').push(res.data || {});
    form.reset();
    renderScim();
  }

  async function removeScim(id, button) {
    button.disabled = true;
    const res = await api('DELETE', '/app/api/scim-connections/' + encodeURIComponent(str(id)));
    // Gone already (404) is what removing wanted too.
    if (!res.ok && res.status !== 404) {
      button.disabled = false;
      return showError(res.data, res.status, res.correlationId);
    }
    clearError();
    const list = listOf('scim');
    const at = list.findIndex((c) => str(c.id) === str(id));
    if (at >= 0) list.splice(at, 1);
    renderScim();
  }

  // --- tenants and tenant users (system_admin) ----------------------------------------------
  const tenantOf = (t) => ({ id: t.id || t.tenant_id, name: t.name, slug: t.slug });

  function renderTenants(selectId) {
    const body = $('tenant-rows');
    if (!body) return;
    const tenants = listOf('tenants').map(tenantOf);
    body.replaceChildren();
    for (const t of tenants) {
      const row = document.createElement('tr');
      row.dataset.testid = 'tenant-row';
      row.dataset.tenantId = str(t.id);
      cell(row, t.name, 'name');
      cell(row, t.slug, 'slug');
      cell(row, t.id, 'id');
      body.appendChild(row);
    }
    $('tenant-empty').hidden = tenants.length > 0;
    const select = byTestId('bootstrap-tenant');
    const keep = selectId || select.value;
    select.replaceChildren();
    for (const t of tenants) {
      const opt = document.createElement('option');
      opt.value = str(t.id);
      opt.textContent = str(t.name) + ' (' + str(t.slug) + ')';
      select.appendChild(opt);
    }
    if (tenants.some((t) => str(t.id) === keep)) select.value = keep;
  }

  async function createTenant(form) {
    const res = await api('POST', '/app/api/admin/tenants', { name: form.elements.name.value.trim(), slug: form.elements.slug.value.trim() });
    if (!res.ok) return showError(res.data, res.status, res.correlationId);
    clearError();
    const d = res.data || {};
    const tenant = d.tenant && typeof d.tenant === 'object' ? d.tenant : d;
    listOf('tenants').push(tenant);
    form.reset();
    renderTenants(str(tenantOf(tenant).id));
  }

  function verificationChecks(body) {
    if (!body || typeof body !== 'object') return [];
    const candidates = [body.verification, body.checks, body.evidence, body.details];
    for (const c of candidates) {
      if (Array.isArray(c)) return c;
      const inner = arrayIn(c, ['checks', 'verification', 'evidence']);
      if (inner.length) return inner;
    }
    return [];
  }

  function renderVerification(body, ok) {
    const checks = verificationChecks(body);
    const box = $('verification');
    const rows = $('verification-rows');
    rows.replaceChildren();
    for (const c of checks) {
      const row = document.createElement('tr');
      row.dataset.testid = 'verification-row';
      row.dataset.ok = String(c.ok === true);
      row.className = c.ok === true ? 'ok' : 'not-ok';
      cell(row, c.name);
      cell(row, typeof c.expected === 'object' ? JSON.stringify(c.expected) : c.expected);
      cell(row, typeof c.actual === 'object' ? JSON.stringify(c.actual) : c.actual);
      cell(row, c.ok === true ? 'ok' : 'mismatch');
      rows.appendChild(row);
    }
    const failed = checks.filter((c) => c.ok !== true).length;
    $('verification-summary').textContent = ok && !failed
      ? 'Keycloak verification succeeded: all ' + checks.length + ' checks passed.'
      : failed + ' of ' + checks.length + ' checks failed.';
    box.hidden = !checks.length;
  }

  async function bootstrapUser(form) {
    const f = form.elements;
    const tenantId = f.tenant_id.value;
    const payload = {
      user_id: f.user_id.value.trim(),
      display_name: f.display_name.value.trim(),
      email: f.email.value.trim(),
      role: f.role.value,
      initial_password: f.initial_password.value,
    };
    const result = byTestId('bootstrap-result');
    result.hidden = true;
    const res = await api('POST', '/app/api/admin/tenants/' + encodeURIComponent(tenantId) + '/users', payload);
    f.initial_password.value = '';
    renderVerification(res.data, res.ok);
    if (!res.ok) return showError(res.data, res.status, res.correlationId);
    clearError();
    // Say what was created and clear the form for the next user (the tenant stays selected).
    const tenant = listOf('tenants').map(tenantOf).find((t) => str(t.id) === tenantId);
    result.textContent = 'Created ' + payload.role + ' ' + payload.user_id + ' in ' + str(tenant ? tenant.name : tenantId) + '. They sign in with the temporary password and must set a new one.';
    result.hidden = false;
    form.reset();
    f.tenant_id.value = tenantId;
  }

  // --- tabs and wiring ----------------------------------------------------------------------
  function renderSettings() {
    renderTokens();
    renderScim();
    renderTenants();
  }

  function showTab(name) {
    for (const tab of document.querySelectorAll('[data-tab]')) {
      const on = tab.dataset.tab === name;
      tab.setAttribute('aria-selected', String(on));
      $('panel-' + tab.dataset.tab).hidden = !on;
    }
    if (name === 'settings') {
      local = clone(boot.snapshot);
      renderSettings();
    }
    history.replaceState(null, '', name === 'overview' ? location.pathname : '#' + name);
  }

  function onSubmit(id, handler) {
    const form = $(id);
    if (!form) return;
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const button = form.querySelector('button[type="submit"]');
      button.disabled = true;
      try {
        await handler(form);
      } catch (err) {
        showError({ code: 'console_request_failed', message: String(err && err.message ? err.message : err) }, 0);
      } finally {
        button.disabled = false;
      }
    });
  }

  for (const tab of document.querySelectorAll('[data-tab]')) tab.addEventListener('click', () => showTab(tab.dataset.tab));
  onSubmit('enrollment-token-form', createToken);
  onSubmit('scim-connection-form', createScim);
  onSubmit('tenant-form', createTenant);
  onSubmit('bootstrap-form', bootstrapUser);
  renderSettings();
  if (location.hash === '#settings') showTab('settings');
  document.body.dataset.ready = 'true';
})();
