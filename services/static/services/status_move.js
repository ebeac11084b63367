/* A service's status moved in one step, in place (services.status_move): the "change
   status" link of a list's row opens the move's small form in a dialog; its answer
   rewrites that row's status cell, or shows the form again with what to correct.
   Without this script the same link is a page of its own. */
(function () {
  "use strict";

  const HEADER = "X-Status-Move"; // the view answers with the fragment, not a page
  let dialog = null;
  let cell = null; // the status cell the open form is about

  function theDialog() {
    if (dialog === null) {
      dialog = document.createElement("dialog");
      dialog.className = "status-move-dialog";
      dialog.addEventListener("close", function () {
        dialog.innerHTML = "";
      });
      document.body.appendChild(dialog);
    }
    return dialog;
  }

  function show(html) {
    const opened = theDialog();
    opened.innerHTML = html;
    if (!opened.open) {
      opened.showModal();
    }
    const first = opened.querySelector("[aria-invalid=true], select, textarea");
    if (first) {
      first.focus();
    }
  }

  function tell(message) {
    let line = document.querySelector("[data-status-move-message]");
    if (line === null) {
      line = document.createElement("div");
      line.dataset.statusMoveMessage = "";
      line.className = "status-move-message";
      line.setAttribute("role", "status");
      const list = document.querySelector("#changelist-form") || document.querySelector("#content");
      list.parentNode.insertBefore(line, list);
    }
    line.textContent = message;
  }

  document.addEventListener("click", async function (event) {
    const link = event.target.closest("a[data-status-move]");
    if (link !== null) {
      event.preventDefault();
      cell = link.closest("[data-service]");
      const response = await fetch(link.href, {
        headers: { [HEADER]: "1" },
        credentials: "same-origin",
      });
      if (!response.ok || response.redirected) {
        // refused, or signed out meanwhile: the page itself says why, in the reader's words
        window.location.assign(link.href);
        return;
      }
      show(await response.text());
      return;
    }
    if (event.target.closest("[data-status-move-cancel]") && dialog !== null && dialog.open) {
      event.preventDefault();
      dialog.close();
    }
  });

  document.addEventListener("submit", async function (event) {
    const form = event.target.closest("form[data-status-move-form]");
    if (form === null || dialog === null || !dialog.contains(form)) {
      return;
    }
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    let answer = null;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { [HEADER]: "1" },
        credentials: "same-origin",
      });
      answer = await response.json();
    } catch (error) {
      form.submit(); // the page's own answer, without the dialog
      return;
    }
    if (answer.form_html) {
      show(answer.form_html);
      return;
    }
    dialog.close();
    if (cell !== null && cell.isConnected) {
      cell.outerHTML = answer.status_html;
      tell(answer.message);
    } else {
      window.location.reload();
    }
  });
})();
