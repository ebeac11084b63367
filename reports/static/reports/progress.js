// Follows a report build: polls its progress and, when it is done, swaps the finished
// report into the page without a reload. No library, nothing from the internet.
(function () {
  "use strict";
  const panel = document.querySelector("[data-progress-url]");
  if (!panel) return;
  const part = (role) => panel.querySelector(`[data-role="${role}"]`);

  async function showFinishedReport(url) {
    const page = await fetch(url, { credentials: "same-origin" });
    const html = new DOMParser().parseFromString(await page.text(), "text/html");
    const report = html.getElementById("report");
    if (report) panel.replaceWith(report);
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
      await showFinishedReport(status.url);
    } else if (status.state === "failed") {
      part("error").textContent = status.error;
      part("error").hidden = false;
      part("hint").hidden = true;
    } else {
      setTimeout(poll, 1000);
    }
  }

  poll();
})();
