// Autosave feedback for the questionnaire: a failed save stays visible, keeps the typed value in its field,
// and is retried on the next change or with the "Coba lagi" button. No framework; htmx events only.
(function () {
  "use strict";
  if (window.spbeAutosave) return; // once per page, even if a swapped-in page runs this file again
  window.spbeAutosave = true;

  function autosaveForm(elt) {
    return elt && elt.closest ? elt.closest("form[data-autosave]") : null;
  }

  function markFailed(form, field) {
    form.classList.add("unsaved");
    if (field && field.matches("input, select, textarea")) field.setAttribute("aria-invalid", "true");
  }

  function markSaved(form) {
    form.classList.remove("unsaved");
    form.querySelectorAll("[aria-invalid]").forEach(function (f) { f.removeAttribute("aria-invalid"); });
  }

  // The server explains a refused request (4xx) in a fragment: show it instead of dropping it.
  document.addEventListener("htmx:beforeSwap", function (e) {
    var status = e.detail.xhr.status;
    if (status >= 400 && status < 500 && status !== 401 && e.detail.elt.closest("[data-swap-errors]")) {
      e.detail.shouldSwap = true;
    }
  });

  // Network failures and server errors get the generic message with a retry button.
  function failed(e) {
    var form = autosaveForm(e.detail.elt);
    if (!form) return;
    markFailed(form, e.detail.elt);
    var status = e.detail.xhr ? e.detail.xhr.status : 0;
    if (status >= 400 && status < 500) return; // the server's own message was swapped in
    var state = form.querySelector(".save-state");
    var template = document.getElementById("save-failed-template");
    if (!state || !template) return;
    var shown = template.content.firstElementChild.cloneNode(true);
    shown.id = state.id;
    state.replaceWith(shown);
  }
  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:sendError", failed);

  document.addEventListener("htmx:afterRequest", function (e) {
    var form = autosaveForm(e.detail.elt);
    if (form && e.detail.successful) markSaved(form);
  });

  // "Coba lagi": post the whole form again (every field travels with each save).
  document.addEventListener("click", function (e) {
    var button = e.target.closest ? e.target.closest("[data-retry]") : null;
    var form = autosaveForm(button);
    if (!form) return;
    var field = form.querySelector("[hx-post]");
    if (field) htmx.trigger(field, "change");
  });

  // Enter in a text field must not submit the form the old way: autosave already has the value.
  document.addEventListener("submit", function (e) {
    if (autosaveForm(e.target) === e.target) e.preventDefault();
  });

  // htmx is a deferred script and binds the autosave triggers only once the page has been parsed (and it has
  // loaded): a change made before that would reach no handler and be lost without a word. This file is
  // loaded without defer, before the forms, so it sees such changes; they are marked unsaved and sent as
  // soon as htmx has set up the page (its first htmx:load, on the body).
  var htmxReady = document.readyState !== "loading" && !!window.htmx;
  var early = [];

  function remember(e) {
    var field = e.target;
    var form = autosaveForm(field);
    if (htmxReady || !form || !field.matches("input, select, textarea")) return;
    form.classList.add("unsaved");
    if (early.indexOf(field) < 0) early.push(field);
  }
  document.addEventListener("change", remember, true);
  document.addEventListener("input", remember, true);

  document.addEventListener("htmx:load", function (e) {
    if (htmxReady || e.target !== document.body) return;
    htmxReady = true;
    early.splice(0).forEach(function (field) {
      if (field.isConnected) htmx.trigger(field.closest("[hx-post]") || field, "change");
    });
  });

  // Arrow keys move through the level choices one by one, and every step is a change: save only the level
  // the user settles on (SETTLE_MS after the last step, or at once when focus leaves the choices).
  var SETTLE_MS = 700;
  var stepping = null; // {radio, timer} of a keyboard step not yet saved
  var releasing = false;
  var lastKey = 0;

  document.addEventListener("keydown", function (e) {
    if (/^Arrow|^ $/.test(e.key) && e.target.matches && e.target.matches("form[data-autosave] input[type=radio]")) {
      lastKey = Date.now();
    }
  }, true);

  function release() {
    if (!stepping) return;
    var radio = stepping.radio.form && stepping.radio.form.querySelector("input[type=radio]:checked");
    clearTimeout(stepping.timer);
    stepping = null;
    if (!radio || !radio.isConnected || !window.htmx) return;
    releasing = true;
    try { htmx.trigger(radio, "change"); } finally { releasing = false; }
  }

  document.addEventListener("change", function (e) {
    var radio = e.target;
    if (releasing || !htmxReady || Date.now() - lastKey > 100 || !radio.matches("input[type=radio]")) return;
    var form = autosaveForm(radio);
    if (!form) return;
    e.stopPropagation(); // htmx's handler on the radio itself waits for the user to settle
    if (stepping && stepping.radio.form !== form) release();
    if (stepping) clearTimeout(stepping.timer);
    form.classList.add("unsaved");
    stepping = {radio: radio, timer: setTimeout(release, SETTLE_MS)};
  }, true);

  document.addEventListener("focusout", function (e) {
    if (stepping && stepping.radio.form && !stepping.radio.form.contains(e.relatedTarget)) release();
  });

  // The save state sits beside what was changed: under the chosen level for a level (where the eye is), at
  // the end of the form for the other fields. It is the same element htmx answers into (#state-<id>), so
  // "Menyimpan…", "Tersimpan" and an error all show there, announced once (aria-live).
  document.addEventListener("htmx:beforeRequest", function (e) {
    var field = e.detail.elt;
    var form = autosaveForm(field);
    var state = form && form.querySelector(".save-state");
    if (!state || !field.matches("input, select, textarea")) return;
    if (field.type === "radio") field = form.querySelector("fieldset.levels input:checked") || field; // a retry
    var option = field.closest("fieldset.levels") && field.closest("label");
    if (option) {
      if (option.nextElementSibling !== state) option.after(state);
    } else if (form.lastElementChild !== state) {
      form.appendChild(state);
    }
    var saving = document.getElementById("saving-template");
    if (saving && !state.classList.contains("conflict")) {
      state.className = "save-state saving";
      state.removeAttribute("role");
      state.setAttribute("aria-live", "polite");
      state.textContent = saving.content.textContent.trim();
    }
  });

  window.addEventListener("beforeunload", function (e) {
    if (document.querySelector("form[data-autosave].unsaved")) e.preventDefault();
  });
})();
