// pcip web pages: small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    if (window.htmx) {
      // Swap error answers too (a form fragment with its errors, an error notice), and
      // never evaluate scripts from responses.
      htmx.config.responseHandling = [
        { code: "204", swap: false },
        { code: "[23]..", swap: true },
        { code: "[45]..", swap: true, error: true },
      ];
      htmx.config.allowScriptTags = false;
      htmx.config.selfRequestsOnly = true;
    }
    // Bring a refused form's error summary into view and focus for screen readers.
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
    // Print buttons on notice pages.
    document.querySelectorAll("[data-print]").forEach(function (b) {
      b.addEventListener("click", function () { window.print(); });
    });
  });
})();
