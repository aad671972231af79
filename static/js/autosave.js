// Autosave: each [data-autosave] block (one vote, one consensus answer) posts its own fields to the URL it
// names: a choice at once, typing 800 ms after the last key and again when the field is left. Its status
// line (.save-state) claims no more than is true: "Not saved yet" from the first change, "Saving…", the
// server's "Saved hh:mm" only if nothing changed meanwhile, "Not saved: …" when the save failed (after one
// retry) or was refused. What was typed or chosen always stays on screen, even when the server's copy of the
// block is swapped in. The texts come from the page (<template id="autosave-text">), translated with it.
//
// The block's data-save-state (saved, unsaved, saving, refused, conflict, failed, signed-out) is for
// unsaved-guard.js; window.implhubAutosave.flush() saves what waits and resolves once everything is saved
// (rejects if something could not be), so meeting mode moves on only then.
(() => {
  "use strict";
  const DEBOUNCE = 800;
  const RETRY_AFTER = 1000;
  const TYPED = "textarea, input:not([type=radio]):not([type=checkbox])";
  const PROBLEMS = new Set(["offline", "server-error", "signed-out", "refused", "needs"]);
  // One state per block, by URL: a consensus answer's block is replaced by the server's copy on each save.
  const states = new Map();

  const blockOf = (url) => document.querySelector(`[data-autosave="${CSS.escape(url)}"]`);

  function stateOf(url) {
    if (!states.has(url)) {
      // changed: edits not sent yet; acked: the server took the last save and nothing changed since.
      states.set(url, { changed: false, saving: false, acked: false, problem: "", timer: 0, waiting: [] });
    }
    return states.get(url);
  }

  // Shows the page's text `key` in the block's status line (and the block's state for the guard).
  function render(url, key, code) {
    const block = blockOf(url);
    if (!block) return;
    const s = stateOf(url);
    block.dataset.saveState = s.changed ? "unsaved" : s.saving ? "saving" : s.problem || "saved";
    const line = block.querySelector(".save-state");
    const texts = document.getElementById("autosave-text");
    const text = texts && texts.content.querySelector(`[data-text="${key}"]`);
    if (!line || !text || (line.dataset.says === key && key !== "refused")) return;
    const copy = text.cloneNode(true);
    copy.querySelectorAll("[data-code]").forEach((slot) => { slot.textContent = code; });
    line.replaceChildren(...copy.childNodes);
    line.dataset.says = key;
    line.classList.remove("saved");
    line.classList.toggle("text-danger", PROBLEMS.has(key));
  }

  // Says the status line again (a live region reads a new text, not an unchanged one) and shows it.
  function announce(url) {
    const line = blockOf(url) && blockOf(url).querySelector(".save-state");
    if (!line) return;
    const nodes = [...line.childNodes];
    line.replaceChildren();
    line.scrollIntoView({ block: "nearest" });
    window.requestAnimationFrame(() => line.replaceChildren(...nodes));
  }

  const fields = (block) => [...block.querySelectorAll("input, textarea, select")].filter((f) => f.name && f.type !== "hidden");

  function values(block) {
    const kept = {};
    for (const field of fields(block)) {
      if (field.type === "radio" || field.type === "checkbox") {
        if (field.checked) kept[field.name] = field.value;
        else if (!(field.name in kept)) kept[field.name] = null;
      } else {
        kept[field.name] = field.value;
      }
    }
    return kept;
  }

  function restore(block, kept) {
    for (const field of fields(block)) {
      if (!(field.name in kept)) continue;
      if (field.type === "radio" || field.type === "checkbox") field.checked = kept[field.name] === field.value;
      else if (field.value !== kept[field.name]) field.value = kept[field.name];
    }
  }

  function formData(block) {
    const data = new FormData();
    for (const field of block.elements) {
      if (!field.name || field.disabled || field.type === "submit" || field.type === "button") continue;
      if ((field.type === "radio" || field.type === "checkbox") && !field.checked) continue;
      data.append(field.name, field.value);
    }
    // The cookie's token is current even after signing in again in another tab (which renews it).
    const cookie = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    const form = block.form || block;
    const token = cookie ? decodeURIComponent(cookie[1]) : form.querySelector("[name=csrfmiddlewaretoken]").value;
    data.set("csrfmiddlewaretoken", token);
    return data;
  }

  // Posts once, and once more a second later if the server could not be reached or failed (5xx).
  async function post(url, body) {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const response = await fetch(url, { method: "POST", body, credentials: "same-origin", headers: { "HX-Request": "true" } });
        const html = await response.text();
        if (response.status < 500 || attempt === 2) return { status: response.redirected ? 302 : response.status, html };
      } catch (error) {
        if (attempt === 2) return { status: 0, html: "" };
      }
      await new Promise((resolve) => { window.setTimeout(resolve, RETRY_AFTER); });
    }
  }

  // Puts the server's copy of the block in; what was typed or chosen since the post went out stays.
  function swapIn(url, block, html) {
    const target = block.dataset.autosaveTarget ? document.querySelector(block.dataset.autosaveTarget) : block;
    if (!target) return;
    const kept = stateOf(url).changed ? values(block) : null;
    const active = document.activeElement;
    const focus = kept && block.contains(active) && active.id ? { id: active.id, start: active.selectionStart, end: active.selectionEnd } : null;
    window.htmx.swap(target, html, { swapStyle: "outerHTML" });
    const fresh = blockOf(url);
    if (!kept || !fresh) return;
    restore(fresh, kept);
    const again = focus && document.getElementById(focus.id);
    if (!again) return;
    again.focus({ preventScroll: true });
    if (typeof again.selectionStart === "number" && typeof focus.start === "number") again.setSelectionRange(focus.start, focus.end);
  }

  function settle(url) {
    const s = stateOf(url);
    if (s.saving || s.timer || (s.changed && s.problem !== "conflict")) return;
    const saved = !s.changed && !s.problem;
    s.waiting.splice(0).forEach((waiter) => (saved ? waiter.resolve() : waiter.reject()));
  }

  function send(url, explicit = false) {
    const s = stateOf(url);
    window.clearTimeout(s.timer);
    s.timer = 0;
    const block = blockOf(url);
    if (s.saving || !block) return; // what changes meanwhile is sent when the answer comes
    // After a conflict, only the Save button sends: it replaces the answer someone else saved.
    if (s.problem === "conflict" && !explicit) {
      settle(url);
      return;
    }
    const data = formData(block);
    if (block.dataset.autosaveNeeds && !data.get(block.dataset.autosaveNeeds)) { // e.g. a comment without a vote
      Object.assign(s, { changed: false, problem: "refused" });
      render(url, "needs");
      settle(url);
      return;
    }
    Object.assign(s, { changed: false, saving: true, acked: false, problem: "" });
    render(url, "saving");
    post(url, data).then((answer) => finish(url, answer));
  }

  function finish(url, { status, html }) {
    const s = stateOf(url);
    const block = blockOf(url);
    let key = null;
    if ([200, 409, 422].includes(status) && block) {
      // Still "saving" while swapping: removing the focused field fires its change event, which must not
      // send the server's copy before what was typed meanwhile is back in it.
      swapIn(url, block, html); // the server's status line: saved, or why not
      s.problem = { 409: "conflict", 422: "refused" }[status] || "";
    } else {
      s.problem = status === 401 ? "signed-out" : status === 0 || status >= 500 ? "failed" : "refused";
      key = { 401: "signed-out", 0: "offline" }[status] || (status >= 500 ? "server-error" : "refused");
    }
    s.saving = false;
    s.acked = !s.problem && !s.changed;
    render(url, key, status);
    if (s.changed && s.problem !== "conflict") {
      render(url, "unsaved");
      if (!s.timer || s.waiting.length) send(url); // someone waits to move on: no need to wait for the pause
    }
    settle(url);
  }

  function edited(block, typed) {
    const url = block.dataset.autosave;
    const s = stateOf(url);
    Object.assign(s, { changed: true, acked: false });
    if (s.problem === "conflict") {
      render(url); // the status keeps saying whose answer is kept
      return;
    }
    render(url, "unsaved");
    window.clearTimeout(s.timer);
    s.timer = typed ? window.setTimeout(() => send(url), DEBOUNCE) : 0;
    if (!typed) send(url);
  }

  // Resolves once the block is saved; rejects if it cannot be (its status line says why).
  function flushOne(url, explicit = false) {
    const s = stateOf(url);
    const done = new Promise((resolve, reject) => { s.waiting.push({ resolve, reject }); });
    if (!s.saving) {
      const retry = s.problem === "failed" || s.problem === "signed-out";
      if (explicit ? !s.acked : s.changed || retry) {
        send(url, explicit);
      } else {
        settle(url);
      }
    }
    return done.catch((error) => {
      announce(url);
      throw error;
    });
  }

  document.addEventListener("input", (event) => {
    const block = event.target.closest("[data-autosave]");
    if (block && event.target.matches(TYPED)) edited(block, true);
  });
  document.addEventListener("change", (event) => {
    const block = event.target.closest("[data-autosave]");
    if (!block) return;
    if (!event.target.matches(TYPED)) edited(block, false);
    else if (stateOf(block.dataset.autosave).changed) send(block.dataset.autosave); // left the field
  });
  // The form's own Save button: save now (or wait for the save under way), then follow data-autosave-then.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches("[data-autosave]")) return;
    event.preventDefault();
    const then = form.dataset.autosaveThen;
    flushOne(form.dataset.autosave, true).then(() => {
      const link = then && document.querySelector(then);
      if (link) link.click(); // a boosted link swaps the next item in place, so full screen stays on
    }, () => {});
  });
  // Back online, or back from signing in again in another tab: try the failed saves again.
  const retryFailed = () => {
    states.forEach((s, url) => {
      if (!s.saving && (s.problem === "failed" || s.problem === "signed-out")) send(url);
    });
  };
  window.addEventListener("online", retryFailed);
  window.addEventListener("focus", retryFailed);

  window.implhubAutosave = {
    flush: () => Promise.all([...states.keys()].filter(blockOf).map((url) => flushOne(url))),
  };
})();
