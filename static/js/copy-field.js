// A copy button next to a read-only address (components/calendar_subscribe.html).
// Without JavaScript the button stays hidden and the address can be selected by hand.
(function () {
  "use strict";
  function setUp(box) {
    if (box.dataset.copyReady) return;
    box.dataset.copyReady = "1";
    var input = box.querySelector("input");
    var button = box.querySelector("[data-copy-button]");
    var status = box.querySelector("[data-copy-status]");
    if (!input || !button || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(
        function () { status.textContent = button.dataset.done || "Adresse kopiert."; },
        function () { input.select(); status.textContent = button.dataset.failed || "Bitte markieren und kopieren Sie die Adresse."; }
      );
    });
  }
  document.querySelectorAll("[data-copy-field]").forEach(setUp);
})();
