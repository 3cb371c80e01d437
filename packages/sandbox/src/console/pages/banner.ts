// The error banner: the platform's envelope as the runbook needs it for triage (code, message,
// correlation id). The client script fills the same element the same way.
import type { ErrorEnvelope } from '../platform-client.ts';
import { esc } from './html.ts';

export function renderErrorBanner(error: ErrorEnvelope | undefined): string {
  if (!error) return '<div class="banner banner-error" role="alert" data-testid="error-banner" hidden></div>';
  return `<div class="banner banner-error" role="alert" data-testid="error-banner" data-code="${esc(error.code)}" data-correlation-id="${esc(error.correlation_id ?? '')}">
  <strong class="error-code">${esc(error.code)}</strong> <span class="error-message">${esc(error.message)}</span>
  <span class="error-correlation">correlation id: <code>${esc(error.correlation_id ?? 'none')}</code></span>
</div>`;
}
