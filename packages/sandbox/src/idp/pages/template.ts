// The frame every login-theme page shares: Keycloak 26.7.1's keycloak.v2 template.ftl (<head> with
// the theme resources and session-polling scripts, the PatternFly login card). Output follows the
// recorded pages in keycloak-reference/ closely, whitespace included, so that a diff against a
// recording shows real differences only.

/** The theme-resource version segment (`/resources/{version}/...`); Keycloak's changes per build. */
export const RESOURCES_VERSION = 'onramp1';
export const RESOURCES_PATH = `/resources/${RESOURCES_VERSION}/login/keycloak.v2`;
export const RESOURCES_COMMON_PATH = `/resources/${RESOURCES_VERSION}/common/keycloak`;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** FreeMarker's HTML auto-escaping, which Keycloak applies to every `${...}`. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * Body of a double-quoted JS string inside a <script>: Keycloak writes URLs there raw (`?no_esc`),
 * which is fine for its own URLs; ours may carry request data, so anything that could end the
 * string or the script element is escaped.
 */
export function jsStringContent(value: string): string {
  return value.replace(/[\\"<>\u2028\u2029\r\n]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const SAFE_TAGS = new Set(['div', 'span', 'strong', 'b', 'i', 'em', 'br', 'p', 'small']);

/**
 * A realm's displayNameHtml is admin-supplied HTML that Keycloak passes through kcSanitize (an
 * OWASP allowlist). This keeps a small allowlist of inline/structural tags with only a class
 * attribute and escapes everything else.
 */
export function sanitizeDisplayHtml(html: string): string {
  let out = '';
  let last = 0;
  const tagRe = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^<>]*?)?)\s*(\/?)>/g;
  for (let m = tagRe.exec(html); m; m = tagRe.exec(html)) {
    out += escapeHtml(html.slice(last, m.index));
    last = m.index + m[0].length;
    const [, closing, rawName, attrs, selfClosing] = m;
    const name = rawName!.toLowerCase();
    if (!SAFE_TAGS.has(name)) {
      out += escapeHtml(m[0]);
      continue;
    }
    if (closing) {
      out += `</${name}>`;
      continue;
    }
    const cls = /\bclass\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(attrs ?? '');
    const classAttr = cls ? ` class="${escapeHtml(cls[1] ?? cls[2] ?? '')}"` : '';
    out += `<${name}${classAttr}${selfClosing ? '/' : ''}>`;
  }
  return out + escapeHtml(html.slice(last));
}

/** Which realm a page belongs to and how it is branded. */
export interface RealmView {
  /** Realm name; absent when no realm is known, which Keycloak brands as its master realm ("Keycloak"). */
  realm?: string;
  /** Realm displayName; defaults to the name (master: "Keycloak"). */
  realmDisplayName?: string;
  /** Realm displayNameHtml for the page header; defaults to the display name (master: Keycloak's logo text). */
  realmDisplayNameHtml?: string;
}

const KEYCLOAK_LOGO_HTML = '<div class="kc-logo-text"><span>Keycloak</span></div>';

/** Keycloak's master realm ships with displayName "Keycloak" and the logo-text displayNameHtml. */
function branding(view: RealmView): { title: string; headerHtml: string } {
  const defaultBrand = view.realm === undefined || (view.realm === 'master' && view.realmDisplayName === undefined);
  const displayName = view.realmDisplayName ?? (defaultBrand ? 'Keycloak' : view.realm!);
  let headerHtml: string;
  if (view.realmDisplayNameHtml !== undefined) headerHtml = sanitizeDisplayHtml(view.realmDisplayNameHtml);
  else if (defaultBrand && view.realmDisplayName === undefined) headerHtml = KEYCLOAK_LOGO_HTML;
  else headerHtml = escapeHtml(displayName);
  return { title: `Sign in to ${escapeHtml(displayName)}`, headerHtml };
}

/** Keycloak's `url.ssoLoginInOtherTabsUrl` when no client context is known. */
export function defaultSessionPollingUrl(realm: string | undefined): string {
  return `/realms/${encodeURIComponent(realm ?? 'master')}/login-actions/restart?skip_logout=true`;
}

export interface AlertMessage {
  type: 'error' | 'warning' | 'success' | 'info';
  text: string;
}

const ALERT_ICONS: Record<AlertMessage['type'], string> = {
  success: 'fa fa-fw fa-check-circle',
  warning: 'fa fa-fw fa-exclamation-triangle',
  error: 'fa fa-fw fa-exclamation-circle',
  info: 'fa fa-fw fa-info-circle',
};

/** template.ftl's page-level message (the PatternFly inline alert above the form). */
export function renderAlert(message: AlertMessage): string {
  const variant = message.type === 'error' ? 'danger' : message.type;
  return `            <div class="pf-v5-c-alert pf-m-inline pf-v5-u-mb-md pf-m-${variant}">
                <div class="pf-v5-c-alert__icon">
                    <span class="${ALERT_ICONS[message.type]}"></span>
                </div>
                <span class="pf-v5-c-alert__title kc-feedback-text">${escapeHtml(message.text)}</span>
            </div>
`;
}

export interface LayoutInput extends RealmView {
  /** Template name without `.ftl`; the body's data-page-id is `login-{pageId}`. */
  pageId: string;
  /** Inner HTML of h1#kc-page-title (already escaped). */
  headerHtml: string;
  /** Inner HTML of the login body (already escaped). */
  formHtml: string;
  /** Inner HTML of the footer inside the body (login.ftl's socialProviders section). */
  footerHtml?: string;
  /** Already-rendered page-level alert, placed above the form. */
  alertHtml?: string;
  /** HTML placed above the alert and the form (template.ftl's "show username" block). */
  beforeFormHtml?: string;
  /** `url.ssoLoginInOtherTabsUrl`: the restart URL with skip_logout=true. */
  sessionPollingUrl?: string;
  /** Set when an authentication session exists; Keycloak then adds the checkAuthSession script. */
  authSessionIdHash?: string;
  /** Raw HTML appended at the end of <head> (Keycloak's history.replaceState snippet). */
  extraHeadHtml?: string;
}

export function renderLayout(input: LayoutInput): string {
  const { title, headerHtml: brandHtml } = branding(input);
  const polling = jsStringContent(input.sessionPollingUrl ?? defaultSessionPollingUrl(input.realm));
  const checkAuth =
    input.authSessionIdHash === undefined
      ? ''
      : `        <script type="module">
            import { checkAuthSession } from "${RESOURCES_PATH}/js/authChecker.js";

            checkAuthSession(
                "${jsStringContent(input.authSessionIdHash)}"
            );
        </script>
`;
  return `<!DOCTYPE html>
<html class="login-pf" lang="en">

<head>
    <meta charset="utf-8">
    <meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
    <meta name="color-scheme" content="light dark">
    <meta name="viewport" content="width=device-width, initial-scale=1">

    <title>${title}</title>
        <link rel="icon" href="${RESOURCES_PATH}/img/favicon.ico" />
        <link href="${RESOURCES_COMMON_PATH}/vendor/patternfly-v5/patternfly.min.css" rel="stylesheet" />
        <link href="${RESOURCES_COMMON_PATH}/vendor/patternfly-v5/patternfly-addons.css" rel="stylesheet" />
        <link href="${RESOURCES_PATH}/css/styles.css" rel="stylesheet" />
    <script type="importmap">
        {
            "imports": {
                "rfc4648": "${RESOURCES_COMMON_PATH}/vendor/rfc4648/rfc4648.js"
            }
        }
    </script>
      <script type="module" async blocking="render">
          const DARK_MODE_CLASS = "pf-v5-theme-dark";
          const mediaQuery = window.matchMedia("(prefers-color-scheme: dark)");

          updateDarkMode(mediaQuery.matches);
          mediaQuery.addEventListener("change", (event) => updateDarkMode(event.matches));

          function updateDarkMode(isEnabled) {
            const { classList } = document.documentElement;

            if (isEnabled) {
              classList.add(DARK_MODE_CLASS);
            } else {
              classList.remove(DARK_MODE_CLASS);
            }
          }
      </script>
    <script type="module" src="${RESOURCES_PATH}/js/passwordVisibility.js"></script>
    <script type="module">
        import { startSessionPolling } from "${RESOURCES_PATH}/js/authChecker.js";

        startSessionPolling(
            "${polling}"
        );
    </script>
    <script type="module">
        document.addEventListener("click", (event) => {
            const link = event.target.closest("a[data-once-link]");

            if (!link) {
                return;
            }

            if (link.getAttribute("aria-disabled") === "true") {
                event.preventDefault();
                return;
            }

            const { disabledClass } = link.dataset;

            if (disabledClass) {
                link.classList.add(...disabledClass.trim().split(/\\s+/));
            }

            link.setAttribute("role", "link");
            link.setAttribute("aria-disabled", "true");
        });
    </script>
${checkAuth}    <script>
      // Workaround for https://bugzilla.mozilla.org/show_bug.cgi?id=1404468
      const isFirefox = true;
    </script>
${input.extraHeadHtml ?? ''}</head>

<body id="keycloak-bg" class="" data-page-id="login-${escapeHtml(input.pageId)}">
<div class="pf-v5-c-login">
  <div class="pf-v5-c-login__container">
    <header id="kc-header" class="pf-v5-c-login__header">
      <div id="kc-header-wrapper"
              class="pf-v5-c-brand">${brandHtml}</div>
    </header>
    <main class="pf-v5-c-login__main">
      <div class="pf-v5-c-login__main-header">
        <h1 class="pf-v5-c-title pf-m-3xl" id="kc-page-title">${input.headerHtml}</h1>
      </div>
      <div class="pf-v5-c-login__main-body">


${input.beforeFormHtml ?? ''}${input.alertHtml ?? ''}${input.formHtml}


          <div class="pf-v5-c-login__main-footer">
${input.footerHtml ?? ''}
          </div>
      </div>

        <div class="pf-v5-c-login__main-footer">
        </div>
    </main>
  </div>
</div>
</body>
</html>
`;
}
