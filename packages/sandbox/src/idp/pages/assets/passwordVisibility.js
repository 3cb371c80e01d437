// The show/hide toggle next to password inputs, driven by the same data attributes as
// Keycloak's passwordVisibility.js (data-password-toggle, aria-controls, data-icon-*, data-label-*).
/* global document */

function toggle(button) {
  const input = document.getElementById(button.getAttribute("aria-controls"));
  if (!input) return;
  const icon = button.querySelector("i");
  const show = input.type === "password";
  input.type = show ? "text" : "password";
  const { iconShow, iconHide, labelShow, labelHide } = button.dataset;
  if (icon && iconShow && iconHide) icon.className = show ? iconHide : iconShow;
  button.setAttribute("aria-label", (show ? labelHide : labelShow) ?? "");
}

for (const button of document.querySelectorAll("[data-password-toggle]")) {
  button.addEventListener("click", () => toggle(button));
}
