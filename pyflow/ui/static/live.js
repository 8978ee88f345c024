// Live updates for an open execution's page, and the confirmation before terminating.
// The server renders every section (escaped); this only swaps them in when the history grows.
(function () {
  "use strict";
  var PERIOD_MS = 1500;
  var SECTIONS = ["summary", "dag", "tasks", "timeline", "history"];

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });

  var root = document.getElementById("execution");
  if (!root || root.getAttribute("data-open") !== "yes") { return; }
  var url = root.getAttribute("data-live");
  var known = root.getAttribute("data-events");

  function keepOpenDetails(id) {
    var open = [];
    document.querySelectorAll("#" + id + " details").forEach(function (d, i) { if (d.open) { open.push(i); } });
    return open;
  }

  function apply(sections) {
    SECTIONS.forEach(function (name) {
      var id = "live-" + name;
      var element = document.getElementById(id);
      if (!element || sections[name] === undefined) { return; }
      var open = keepOpenDetails(id);
      element.innerHTML = sections[name];
      var all = element.querySelectorAll("details");
      open.forEach(function (i) { if (all[i]) { all[i].open = true; } });
    });
  }

  function poll() {
    fetch(url + "?known=" + encodeURIComponent(known), { headers: { "accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { window.setTimeout(poll, PERIOD_MS * 4); return; }
        if (data.sections) { apply(data.sections); }
        known = String(data.events);
        root.setAttribute("data-events", known);
        if (data.open) { window.setTimeout(poll, PERIOD_MS); return; }
        // Closed: reload once so the actions that no longer apply go away.
        root.setAttribute("data-open", "no");
        window.location.replace(window.location.pathname);
      })
      .catch(function () { window.setTimeout(poll, PERIOD_MS * 4); });
  }
  window.setTimeout(poll, PERIOD_MS);
})();
