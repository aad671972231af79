// Autosave feedback: say "Saving…" while a request runs and say plainly when it failed, so nobody
// leaves the page believing an answer was kept when it was not.
document.addEventListener("htmx:beforeRequest", (event) => {
  const status = event.detail.target;
  if (status && status.classList.contains("save-state")) {
    status.textContent = "Saving…";
    status.className = "save-state text-body-secondary";
  }
});

function showFailure(event) {
  const status = event.detail.target;
  if (status && status.classList.contains("save-state")) {
    status.textContent = "Not saved: the server could not be reached. Your answer is still selected; use Save all.";
    status.className = "save-state text-danger";
  }
}
document.addEventListener("htmx:sendError", showFailure);
document.addEventListener("htmx:responseError", showFailure);
