// Meeting mode: the arrow keys follow the previous/next links, unless someone is typing or choosing.
document.addEventListener("keydown", (event) => {
  const target = event.target;
  if (target.closest("input, textarea, select, [contenteditable]") || event.altKey || event.ctrlKey || event.metaKey) {
    return;
  }
  const link = document.getElementById(event.key === "ArrowLeft" ? "previous-item" : event.key === "ArrowRight" ? "next-item" : "");
  if (link) {
    event.preventDefault();
    window.location.assign(link.href);
  }
});
