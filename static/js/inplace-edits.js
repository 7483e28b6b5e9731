// In-place edits (htmx): failed autosaves are said aloud, and focus survives a swap.
// An autosave that fails says so beside its field. Nothing is swapped in, so the field's
// version stays as it was and the text stays in the box: the next keystroke saves it.
(function () {
  function reason(xhr) {
    if (!xhr || xhr.status === 0) return "the connection was lost";
    if (xhr.status === 401) return "you were signed out: sign in again in another tab, then type here again";
    if (xhr.status === 403) return "this page is out of date, or you may no longer edit it: copy your text and reload";
    if (xhr.status === 404) return "this meeting or note is gone: copy your text and reload";
    return "the server could not save it (error " + xhr.status + ")";
  }
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

  // A form swapped in place (same-issue students) takes the place of the one the keyboard
  // was on: focus goes back to it, not to the top of the page.
  document.addEventListener("htmx:afterSettle", function () {
    var next = document.querySelector("[data-autofocus]");
    if (next) {
      next.removeAttribute("data-autofocus");
      next.focus();
    }
  });
})();
