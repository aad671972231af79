// Meeting mode's full-screen button: the whole page on the projector, and back. The button stays hidden
// where the Fullscreen API is missing or not allowed (an iPhone, an iframe without permission); the
// browser's own full screen (F11) works everywhere. Its name stays "Full screen"; aria-pressed says
// whether it is on. The meeting swaps its main part in place (htmx), so the button is looked up each time.
(() => {
  const buttons = () => document.querySelectorAll("[data-fullscreen-toggle]");

  function sync() {
    const on = Boolean(document.fullscreenElement);
    buttons().forEach((button) => {
      button.hidden = !document.fullscreenEnabled;
      button.setAttribute("aria-pressed", String(on));
    });
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-fullscreen-toggle]");
    if (!button || !document.fullscreenEnabled) return;
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else {
      document.documentElement.requestFullscreen().catch(sync);
    }
  });
  document.addEventListener("fullscreenchange", sync);
  document.addEventListener("htmx:afterSettle", (event) => {
    sync();
    // A new item came in place of the old one (the page's main part was swapped, not just a saved form):
    // take the reader (and the screen reader) to its statement.
    if (!event.detail.target || event.detail.target.id !== "main") return;
    const statement = document.getElementById("meeting-statement");
    if (statement) statement.focus({ preventScroll: true });
  });
  sync();
})();
