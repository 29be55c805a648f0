// Two-click videos: the player is loaded only after the visitor asks for it.
// Without JavaScript the button is a plain link to the video on the provider's site.
(function () {
    "use strict";
    function load(event) {
        var button = event.target.closest("[data-video-load]");
        if (!button) {
            return;
        }
        var figure = button.closest("[data-video-consent]");
        if (!figure || !figure.dataset.embedSrc) {
            return;
        }
        event.preventDefault();
        var iframe = document.createElement("iframe");
        iframe.src = figure.dataset.embedSrc + "?autoplay=1";
        iframe.title = figure.dataset.embedTitle || "";
        iframe.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
        iframe.allowFullscreen = true;
        iframe.referrerPolicy = "strict-origin-when-cross-origin";
        var frame = figure.querySelector(".video-consent__frame");
        frame.classList.add("ratio", "ratio-16x9");
        frame.replaceChildren(iframe);
        iframe.focus();
    }
    document.addEventListener("click", load);
})();
