// The `rfc4648` import the pages' import map names (Keycloak's WebAuthn scripts use its base64url).
// A small base64url codec with the same shape: base64url.parse / base64url.stringify.
/* global atob, btoa */

function parse(text, options = {}) {
  const normalized = text.replace(/-/g, "+").replace(/_/g, "/");
  if (options.loose !== true && /[^A-Za-z0-9+/=]/.test(normalized)) throw new SyntaxError("Invalid base64url");
  const padded = normalized + "===".slice((normalized.length + 3) % 4);
  const binary = atob(padded);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function stringify(data, options = {}) {
  let binary = "";
  for (const byte of data) binary += String.fromCharCode(byte);
  const base64 = btoa(binary).replace(/\+/g, "-").replace(/\//g, "_");
  return options.pad === true ? base64 : base64.replace(/=+$/, "");
}

export const base64url = { parse, stringify };
