// Meeting mode: the arrow keys (outside text fields) and the previous/next links move between best
// practices, but only once what was chosen or typed here is saved (autosave.js flushes it). If it cannot be
// saved, the item stays on screen and its status line says why. The move itself is a click on the link, so
// htmx (hx-boost) swaps the item in place and full screen stays on; without htmx the link is followed.
(() => {
  "use strict";
  let moving = false;
  let passing = null; // the link whose click this script makes itself, once the save is done

  function move(link) {
    if (moving) return;
    moving = true;
    const saved = window.implhubAutosave ? window.implhubAutosave.flush() : Promise.resolve();
    saved.then(
      () => {
        moving = false;
        passing = link;
        link.click();
      },
      () => { moving = false; },
    );
  }

  document.addEventListener("keydown", (event) => {
    // A chosen score (a radio) is no text field: → right after choosing it moves on, with the score saved.
    const typing = event.target.closest("textarea, select, [contenteditable], input:not([type=radio]):not([type=checkbox])");
    if (typing || event.altKey || event.ctrlKey || event.metaKey) return;
    const link = document.getElementById({ ArrowLeft: "previous-item", ArrowRight: "next-item" }[event.key] || "");
    if (link) {
      event.preventDefault();
      move(link);
    }
  });
  // Capture phase: this runs before htmx's own handler on the link, so nothing moves before the save.
  document.addEventListener("click", (event) => {
    const link = event.target.closest("#previous-item, #next-item");
    if (!link || event.button !== 0 || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (passing === link) {
      passing = null;
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    move(link);
  }, true);
  window.addEventListener("pageshow", () => { moving = false; }); // back to this page from the history
})();
