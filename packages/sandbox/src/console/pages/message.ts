// Plain pages for states outside the shell: not configured yet, identity provider down, failures.
import { esc, layout } from './html.ts';

export function renderMessagePage(title: string, message: string, o: { retry?: boolean } = {}): string {
  return layout(`${title} · onramp console`, `<main class="login">
  <h1>${esc(title)}</h1>
  <p data-testid="message">${esc(message)}</p>
  ${o.retry ? '<p><a class="button" href="/">Back to the console</a></p>' : ''}
</main>`);
}

export const notConfiguredPage = () =>
  renderMessagePage('Console starting', 'The console is not connected to its identity provider and platform yet. Try again in a moment.');
