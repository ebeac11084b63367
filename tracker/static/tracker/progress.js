// Follows a background job (a report build, an export): polls its progress and, when it
// is done, swaps the finished part of the page in without a reload. The panel names the
// element to take from the finished page in data-replace-with. No library, no internet.
(function () {
  "use strict";
  const panel = document.querySelector("[data-progress-url]");
  if (!panel) return;
  const part = (role) => panel.querySelector(`[data-role="${role}"]`);

  async function showFinished(url) {
    const page = await fetch(url, { credentials: "same-origin" });
    const html = new DOMParser().parseFromString(await page.text(), "text/html");
    const finished = html.getElementById(panel.dataset.replaceWith);
    if (finished) panel.replaceWith(finished);
  }

  async function poll() {
    let status;
    try {
      const response = await fetch(panel.dataset.progressUrl, { credentials: "same-origin" });
      status = await response.json();
    } catch (networkError) {
      setTimeout(poll, 3000);  // the server may be restarting; keep following
      return;
    }
    part("state").textContent = status.state_label;
    part("state").className = `state ${status.state}`;
    part("percent").textContent = `${status.progress}%`;
    part("bar").value = status.progress;
    panel.dataset.state = status.state;
    if (status.state === "done") {
      await showFinished(status.url);
    } else if (status.state === "failed") {
      part("error").textContent = status.error;
      part("error").hidden = false;
      part("hint").hidden = true;
      // A failed job is retried by its worker (a locked table, a lost connection): keep
      // following a while, so a retry that finishes it shows as it would have.
      if (Date.now() - started < RETRIES_FOLLOWED_MS) setTimeout(poll, 3000);
    } else {
      part("error").hidden = true;
      part("hint").hidden = false;
      setTimeout(poll, 1000);
    }
  }

  const started = Date.now();
  const RETRIES_FOLLOWED_MS = 5 * 60 * 1000;

  poll();
})();
