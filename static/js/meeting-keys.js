// Meeting mode: the arrow keys follow the previous/next links, unless someone is typing or choosing.
// The link is clicked rather than followed, so htmx swaps the item in place and full screen stays on.
document.addEventListener("keydown", (event) => {
  const target = event.target;
  if (target.closest("input, textarea, select, [contenteditable]") || event.altKey || event.ctrlKey || event.metaKey) {
    return;
  }
  const link = document.getElementById(event.key === "ArrowLeft" ? "previous-item" : event.key === "ArrowRight" ? "next-item" : "");
  if (link) {
    event.preventDefault();
    link.click();
  }
});
