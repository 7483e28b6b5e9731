// "Strategies already tried" and "Brainstorm" pick from the continuum, free text still
// allowed: choosing a support in the input beside a note (a <datalist> filled the first time
// a pick is focused, from its data-src; teams/templates/teams/meeting.html) adds it to the
// note as its own line, and the note's own autosave sends it. Listeners sit on the document,
// so notes swapped in by htmx work without being set up.
(function () {
  function fill(input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list || list.dataset.loaded) return;
    list.dataset.loaded = "1";
    htmx.ajax("GET", list.dataset.src, { target: list, swap: "innerHTML" }).then(function () {
      if (!list.options.length) delete list.dataset.loaded; // failed: the next focus asks again
    });
  }
  function listed(input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) return false;
    return Array.prototype.some.call(list.options, function (o) {
      return o.value === input.value;
    });
  }
  function add(input) {
    var note = document.getElementById(input.dataset.appendTo);
    if (!note || note.readOnly || !input.value.trim() || !listed(input)) return;
    var text = note.value.replace(/\s+$/, "");
    note.value = (text ? text + "\n" : "") + input.value;
    input.value = "";
    note.dispatchEvent(new Event("input", { bubbles: true }));
  }
  document.addEventListener("focusin", function (event) {
    if (event.target.matches("input[data-append-to]")) fill(event.target);
  });
  document.addEventListener("change", function (event) {
    if (event.target.matches("input[data-append-to]")) add(event.target);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches("input[data-append-to]")) {
      event.preventDefault(); // a pick is not a form submission
      add(event.target);
    }
  });
})();
