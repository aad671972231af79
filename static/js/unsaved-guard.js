// Leaving the page (a reload, a link, closing the tab) while something typed or chosen is not saved yet, or
// is still being saved, asks first. Autosave (autosave.js) marks each block with its data-save-state.
// Submitting the form that holds every unsaved block is not leaving: that form saves them.
(() => {
  "use strict";
  let submitted = null;
  window.addEventListener("submit", (event) => {
    submitted = event.defaultPrevented ? null : event.target;
  });
  window.addEventListener("beforeunload", (event) => {
    const unsaved = [...document.querySelectorAll("[data-save-state]:not([data-save-state=saved])")];
    const saving = submitted && unsaved.every((block) => submitted.contains(block));
    submitted = null;
    if (unsaved.length && !saving) {
      event.preventDefault();
      event.returnValue = ""; // older browsers ask only when a value is set
    }
  });
})();
