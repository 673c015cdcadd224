// Polls a background job's status and moves its progress bar; without JavaScript the page offers
// a refresh link instead.
(function () {
  var box = document.querySelector("[data-status-url]");
  if (!box || box.dataset.finished === "1") return;
  var bar = box.querySelector("progress");
  var refresh = box.querySelector("[data-job-refresh]");
  if (refresh) refresh.hidden = true;
  function show(state) {
    if (state.total || state.finished) {
      bar.value = state.percent;
      bar.textContent = state.percent + "%";
    }
    box.querySelector("[data-job-label]").textContent = state.status_label;
    box.querySelector("[data-job-count]").textContent = state.total ? state.done + " / " + state.total : "";
    var error = box.querySelector("[data-job-error]");
    error.textContent = state.error;
    error.hidden = !state.error;
    box.querySelector("[data-job-download]").hidden = state.status !== "done";
  }
  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        show(state);
        if (!state.finished) window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
