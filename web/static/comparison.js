// Year-two pages: a refused form (4xx) comes back as a fragment naming every bad row; show it instead of dropping it.
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (e) {
    var status = e.detail.xhr.status;
    if (status >= 400 && status < 500 && status !== 401 && e.detail.elt.closest("[data-swap-errors]")) {
      e.detail.shouldSwap = true;
    }
  });
})();
