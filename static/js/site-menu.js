// Disclosures of the public site (the "Menü" of the header, the "Filter (n)" of the
// catalogue): <details> elements that open and close without JavaScript. This adds what
// the element lacks: aria-expanded on its button kept in step, Escape closes it and gives
// the focus back to its button, and on wide screens – where the theme always shows the
// content – it is opened for browsers without `::details-content`.
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 992px)");
  var styled = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");

  function setUp(details) {
    var summary = details.querySelector(":scope > summary");
    if (!summary) return;
    function sync() {
      summary.setAttribute("aria-expanded", details.open ? "true" : "false");
    }
    details.addEventListener("toggle", sync);
    details.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && details.open && !wide.matches) {
        details.open = false;
        sync();
        summary.focus();
      }
    });
    if (!styled && wide.matches && details.hasAttribute("data-open-wide")) {
      details.open = true;
    }
    sync();
  }
  document.querySelectorAll("[data-disclosure]").forEach(setUp);
})();
