// In-place edits (htmx): failed autosaves are said aloud, nothing typed is left unsaved
// without a warning, and focus survives a swap or a return to a section.
(function () {
  function reason(xhr) {
    if (!xhr || xhr.status === 0) return "the connection was lost";
    if (xhr.status === 401) return "you were signed out: sign in again in another tab, then type here again";
    if (xhr.status === 403) return "this page is out of date, or you may no longer edit it: copy your text and reload";
    if (xhr.status === 404) return "this meeting or note is gone: copy your text and reload";
    // A refusal the server words for people (crsys/input_guard.py: a NUL character).
    var type = xhr.getResponseHeader("Content-Type") || "";
    if (xhr.status === 400 && type.indexOf("text/plain") === 0 && xhr.responseText) {
      return xhr.responseText.replace(/\.$/, "");
    }
    return "the server could not save it (error " + xhr.status + ")";
  }

  // An autosave that fails says so beside its field. Nothing is swapped in, so the field's
  // version stays as it was and the text stays in the box: the next keystroke saves it.
  function show(event) {
    var target = event.detail && event.detail.target;
    if (!target || !target.classList || !target.classList.contains("save-status")) return;
    var message = target.querySelector(".save-error");
    if (!message) {
      message = document.createElement("span");
      message.className = "cell-error save-error";
      message.setAttribute("role", "alert");
      target.appendChild(message);
    }
    message.textContent = "Not saved: " + reason(event.detail.xhr) + ". Your text is still here.";
  }
  document.addEventListener("htmx:responseError", show);
  document.addEventListener("htmx:sendError", show);

  // A field is unsaved from its first keystroke until a save of it answers. Leaving the page
  // then asks first; hiding the page (tab switched, phone locked) saves at once.
  var unsaved = new Set();
  function autosaved(el) {
    return el && el.matches && el.matches("textarea[hx-post]");
  }
  document.addEventListener("input", function (event) {
    if (autosaved(event.target)) unsaved.add(event.target);
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (autosaved(event.detail.elt)) event.detail.elt.dataset.sending = event.detail.elt.value;
  });
  // A save the server refused answers 422 with its reason in the status partial: that is
  // swapped in like a save (htmx leaves a 4xx out by default), and the field stays unsaved.
  var REFUSED = 422;
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr && event.detail.xhr.status === REFUSED) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var el = event.detail.elt;
    var saved = event.detail.xhr && event.detail.xhr.status === 200;
    if (autosaved(el) && saved && el.value === el.dataset.sending) {
      unsaved.delete(el);
    }
  });
  // Leaving a box nobody typed in saves nothing: on a page loaded before someone else's
  // save, that would send the old words as a new version and make a false conflict.
  document.addEventListener("htmx:confirm", function (event) {
    var trigger = event.detail.triggeringEvent;
    if (autosaved(event.detail.elt) && trigger && trigger.type === "blur" &&
        !unsaved.has(event.detail.elt)) {
      event.preventDefault();
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (unsaved.size) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && window.htmx) {
      unsaved.forEach(function (el) { htmx.trigger(el, "blur"); });
    }
  });

  // A form swapped in place (same-issue students) takes the place of the one the keyboard
  // was on: focus goes back to it, not to the top of the page.
  document.addEventListener("htmx:afterSettle", function (event) {
    var next = document.querySelector("[data-autofocus]");
    if (!next) return;
    next.removeAttribute("data-autofocus");
    // Only if the keyboard has not moved on to something else meanwhile.
    var active = document.activeElement;
    if (!active || active === document.body || event.detail.elt.contains(active)) next.focus();
  });

  // After a form posts and the page comes back at its section (#commitments), the keyboard
  // starts there too, not at the top.
  document.addEventListener("DOMContentLoaded", function () {
    var refused = document.querySelector("[data-autofocus]");  // a form sent back to fix
    if (refused) {
      refused.removeAttribute("data-autofocus");
      refused.focus();
      return;
    }
    var id = decodeURIComponent(window.location.hash.slice(1));
    var section = id && document.getElementById(id);
    if (section && section.matches("section, article, details")) {
      // A folded part (a discussion, a section) the address points at is unfolded first.
      for (var fold = section.closest("details"); fold; fold = fold.parentElement.closest("details")) {
        fold.open = true;
      }
      if (!section.hasAttribute("tabindex")) section.setAttribute("tabindex", "-1");
      section.focus();
    }
  });
})();
