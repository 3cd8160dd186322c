/* Article page, small improvements on a page that works without them:
   - a reference's ↩ leads back to the citation the reader followed, not only to the first;
   - the printout says the day it was printed. */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.citation-link");
    var citation = link && link.closest("sup.citation");
    var reference = link && document.getElementById(link.hash.slice(1));
    if (!citation || !citation.id || !reference) return;
    var back = reference.querySelector(".reference__back--return");
    if (back) {
      back.setAttribute("href", "#" + citation.id);
      back.setAttribute("aria-label", "Back to where you were reading");
    }
    reference.querySelectorAll(".reference__back").forEach(function (each) {
      if (each.hash === "#" + citation.id && each !== back) {
        each.setAttribute("data-followed", "");
      } else {
        each.removeAttribute("data-followed");
      }
    });
  });

  function stampPrintDate() {
    var today = new Date().toLocaleDateString("en-US", {
      month: "long", day: "numeric", year: "numeric"
    });
    document.querySelectorAll("[data-printed-on]").forEach(function (each) {
      each.querySelector(".print-source__date").textContent = today;
      each.hidden = false;
    });
  }
  window.addEventListener("beforeprint", stampPrintDate);
})();
