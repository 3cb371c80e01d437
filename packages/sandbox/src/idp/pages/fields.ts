// keycloak.v2's field.ftl and buttons.ftl macros. The error markup matters to scripts: a field's
// message sits in #input-error-{name} inside #input-error-container-{name}, and the input gets
// aria-invalid="true".
import { escapeHtml } from './template.ts';

function group(name: string, labelHtml: string, error: string | undefined, nested: string): string {
  const errorHtml = error
    ? `            <div class="pf-v5-c-form__helper-text" aria-live="polite">
                <div class="pf-v5-c-helper-text pf-v5-u-display-flex pf-v5-u-justify-content-space-between">
                    <div class="pf-v5-c-helper-text__item pf-m-error" id="input-error-${name}">
                        <span class="pf-v5-c-helper-text__item-text pf-m-error kc-feedback-text">
                            ${escapeHtml(error)}
                        </span>
                    </div>
                </div>
            </div>
`
    : '';
  return `
<div class="pf-v5-c-form__group">
    <div class="pf-v5-c-form__group-label pf-v5-u-pb-xs">
        <label for="${name}" class="pf-v5-c-form__label">
        <span class="pf-v5-c-form__label-text">
            ${labelHtml}
        </span>
        </label>
    </div>
${nested}
    <div id="input-error-container-${name}">
${errorHtml}    </div>
</div>
`;
}

function errorIcon(error: string | undefined, indent: string): string {
  if (!error) return '';
  return `
${indent}<span class="pf-v5-c-form-control__utilities">
${indent}    <span class="pf-v5-c-form-control__icon pf-m-status">
${indent}      <i class="fas fa-exclamation-circle" aria-hidden="true"></i>
${indent}    </span>
${indent}</span>`;
}

export interface TextFieldInput {
  name: string;
  label: string;
  value?: string;
  autocomplete?: string;
  autofocus?: boolean;
  error?: string;
  /** Pre-escaped label markup, for templates that pass a whitespace-carrying `#assign` capture. */
  labelHtml?: string;
}

/** field.ftl `input`. */
export function textField(f: TextFieldInput): string {
  const nested = `
    <span class="pf-v5-c-form-control ${f.error ? 'pf-m-error' : ''}">
        <input id="${f.name}" name="${f.name}" value="${escapeHtml(f.value ?? '')}" type="text" autocomplete="${f.autocomplete ?? 'off'}" ${f.autofocus ? 'autofocus' : ''}
                
                aria-invalid="${f.error ? 'true' : ''}"/>${errorIcon(f.error, '        ')}
    </span>
`;
  return group(f.name, f.labelHtml ?? escapeHtml(f.label), f.error, nested);
}

export interface PasswordFieldInput {
  name: string;
  label: string;
  autocomplete?: string;
  autofocus?: boolean;
  error?: string;
}

/** field.ftl `password`: the input, the show/hide toggle and an (empty) helper-text row. */
export function passwordField(f: PasswordFieldInput): string {
  const nested = `
    <div class="pf-v5-c-input-group">
      <div class="pf-v5-c-input-group__item pf-m-fill">
        <span class="pf-v5-c-form-control ${f.error ? 'pf-m-error' : ''}">
          <input id="${f.name}" name="${f.name}" value="" type="password" autocomplete="${f.autocomplete ?? 'off'}" ${f.autofocus ? 'autofocus' : ''}
                  aria-invalid="${f.error ? 'true' : ''}"/>${errorIcon(f.error, '          ')}
        </span>
      </div>
      <div class="pf-v5-c-input-group__item">
        <button class="pf-v5-c-button pf-m-control" type="button" aria-label="Show password"
                aria-controls="${f.name}" data-password-toggle
                data-icon-show="fa-eye fas" data-icon-hide="fa-eye-slash fas"
                data-label-show="Show password" data-label-hide="Hide password" id="${f.name}-show-password">
            <i class="fa-eye fas" aria-hidden="true"></i>
        </button>
      </div>
    </div>
    <div class="pf-v5-c-form__helper-text" aria-live="polite">
        <div class="pf-v5-c-helper-text pf-v5-u-display-flex pf-v5-u-justify-content-space-between">
        </div>
    </div>

`;
  return group(f.name, escapeHtml(f.label), f.error, nested);
}

/** buttons.ftl `actionGroup` + `button`: a submit button in a form-actions row. */
export function submitButton(b: { id: string; name: string; label: string; horizontal?: boolean }): string {
  return `  <div class="pf-v5-c-form__group">
    <div class="pf-v5-c-form__actions pf-v5-u-pt-xs ${b.horizontal ? 'pf-v5-u-flex-nowrap' : 'pf-v5-u-flex-wrap'}">
  <button class="pf-v5-c-button pf-m-primary pf-m-block" name="${b.name}" id="${b.id}"
          type="submit" >
  ${escapeHtml(b.label)}
  </button>
    </div>
  </div>
`;
}
