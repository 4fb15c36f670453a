// Layout helpers for every page, no framework: tables that scroll sideways inside their card (phones) get a
// tab stop so the keyboard can scroll them; htmx responses never name a part of the page that is gone.
(function () {
  "use strict";
  if (window.spbeLayout) return;
  window.spbeLayout = true;

  function markScrollables() {
    document.querySelectorAll("main table, .table-scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth) {
        if (!box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
      }
    });
  }
  // A save answered after the user moved to another aspect carries out-of-band parts (the card's version
  // field) whose place is gone: drop those parts instead of letting htmx log an error for each, and keep
  // the menu's current aspect. An extension, not an event listener: events on the detached form no longer
  // reach the document.
  // The aspect menu sent with a save marks the saved indicator's aspect as current; the page may have
  // moved on to another one since: keep marking the aspect the page shows.
  function keepCurrent(part) {
    var shown = document.querySelector("#" + part.id + " [aria-current=page][data-aspect]");
    var sent = part.querySelector("[aria-current=page][data-aspect]");
    if (!shown || !sent || sent.dataset.aspect === shown.dataset.aspect) return;
    var same = part.querySelector('[data-aspect="' + shown.dataset.aspect + '"]');
    if (!same) return;
    sent.removeAttribute("aria-current");
    same.setAttribute("aria-current", "page");
  }

  if (window.htmx) htmx.defineExtension("oob-guard", {
    transformResponse: function (text) {
      if (text.indexOf("hx-swap-oob") < 0) return text;
      var parsed = document.createElement("template");
      parsed.innerHTML = text;
      parsed.content.querySelectorAll("[hx-swap-oob][id]").forEach(function (part) {
        if (!document.getElementById(part.id)) part.remove();
        else keepCurrent(part);
      });
      return parsed.innerHTML;
    }
  });

  document.addEventListener("DOMContentLoaded", markScrollables);
  document.addEventListener("htmx:afterSettle", markScrollables);
  window.addEventListener("resize", markScrollables);
})();
