// The student picker (ARIA 1.2 combobox with a listbox popup). htmx fetches the options as
// one types (teams/templates/teams/meeting.html#student_picker); this moves through them with
// the arrow keys, chooses with Enter (or a click), closes with Escape. Listeners sit on the
// document, so pickers swapped in by htmx work without being set up.
(function () {
  var COMBO = ".picker input[role=combobox]";

  function parts(input) {
    var box = input.closest(".picker");
    return {
      list: document.getElementById(input.getAttribute("aria-controls")),
      picked: box.querySelector("input[type=hidden][name=student]"),
      status: box.querySelector("[data-picker-status]"),
    };
  }
  function options(list) {
    return Array.prototype.slice.call(list.querySelectorAll("[role=option]"));
  }
  function expand(input, open) {
    parts(input).list.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) input.removeAttribute("aria-activedescendant");
  }
  function activate(input, option) {
    options(parts(input).list).forEach(function (o) {
      o.setAttribute("aria-selected", o === option ? "true" : "false");
    });
    input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  }
  function choose(input, option) {
    var p = parts(input);
    p.picked.value = option.dataset.value;
    input.value = option.dataset.label;
    expand(input, false);
    p.status.textContent = option.dataset.label + " chosen.";
  }

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches(COMBO)) return;
    var list = parts(input).list;
    var all = options(list);
    var active = document.getElementById(input.getAttribute("aria-activedescendant") || "");
    var at = all.indexOf(active);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (list.hidden || !all.length) {
        input.dataset.activateFirst = "1";
        htmx.trigger(input, "picker:open");
        return;
      }
      var step = event.key === "ArrowDown" ? 1 : -1;
      activate(input, all[(at + step + all.length) % all.length]);
    } else if (event.key === "Enter" && !list.hidden && active) {
      event.preventDefault(); // choose; the next Enter sends the form
      choose(input, active);
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      expand(input, false);
    }
  });

  // Typing after a choice un-chooses it: what is sent is what the box says.
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches(COMBO)) parts(event.target).picked.value = "";
  });

  // The options arrived: give them ids, open the list (while the box still has the keyboard)
  // and say how many there are.
  document.addEventListener("htmx:afterSettle", function (event) {
    var list = event.detail.target;
    if (!list || list.getAttribute("role") !== "listbox") return;
    var input = document.querySelector("[aria-controls='" + list.id + "']");
    var all = options(list);
    all.forEach(function (o, i) { o.id = list.id + "-" + i; });
    expand(input, all.length > 0 && document.activeElement === input);
    if (input.dataset.activateFirst && all.length) activate(input, all[0]);
    delete input.dataset.activateFirst;
    parts(input).status.textContent = !all.length ? "No student matches." :
      all.length + (all.length >= 12 ? " students or more: type more of the name." :
        all.length === 1 ? " student: down arrow, then Enter." : " students: down arrow, then Enter.");
  });

  // A mouse works too; the box keeps the focus meanwhile.
  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest && event.target.closest(".picker [role=option]");
    if (!option) return;
    event.preventDefault();
    choose(document.querySelector("[aria-controls='" + option.parentNode.id + "']"), option);
  });
  document.addEventListener("focusout", function (event) {
    if (event.target.matches && event.target.matches(COMBO)) expand(event.target, false);
  });
})();
