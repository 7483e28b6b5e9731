// Result grid: Enter moves to the same column in the next row (Tab already moves right).
document.addEventListener("keydown", (event) => {
  const input = event.target;
  if (event.key !== "Enter" || !input.classList.contains("score-input")) return;
  event.preventDefault();
  input.dispatchEvent(new Event("change", { bubbles: true }));
  const cell = input.closest("td");
  const column = Array.from(cell.parentElement.children).indexOf(cell);
  const nextRow = cell.parentElement.nextElementSibling;
  const next = nextRow && nextRow.children[column] && nextRow.children[column].querySelector("input");
  if (next) { next.focus(); next.select(); }
});
