/* Admin pages: Django's two-box picker (SelectFilter2) draws its search icons as <span
   aria-label="…">, a name ARIA allows only with a role: give them the role of an image. The
   boxes are drawn after the page loads, so watch for them. */
(function () {
  "use strict";
  function nameIcons(root) {
    root.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }
  new MutationObserver(function () { nameIcons(document); })
    .observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", function () { nameIcons(document); });
})();
