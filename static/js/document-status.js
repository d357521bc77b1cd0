/* A document whose PDF is being created (templates/documents/_status.html): ask for its
 * status now and then, and reload the page once it is ready or has failed. The wait between
 * questions grows from 2 to 15 seconds; nothing is asked while the tab is hidden.
 */
(function () {
  "use strict";
  if (window.documentStatusWatch) {
    return;
  }
  window.documentStatusWatch = true;
  var delay = 2000;

  function ask() {
    var waiting = document.querySelectorAll("[data-document-status-url]");
    if (!waiting.length) {
      return;
    }
    if (document.hidden) {
      window.setTimeout(ask, delay);
      return;
    }
    var checks = Array.prototype.map.call(waiting, function (box) {
      return fetch(box.getAttribute("data-document-status-url"), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (answer) {
          return answer && answer.status !== box.getAttribute("data-status");
        })
        .catch(function () {
          return false;
        });
    });
    Promise.all(checks).then(function (changed) {
      if (changed.indexOf(true) !== -1) {
        window.location.reload();
        return;
      }
      delay = Math.min(delay * 1.5, 15000);
      window.setTimeout(ask, delay);
    });
  }

  window.setTimeout(ask, delay);
})();
