/* A page showing work the worker has not finished yet (the session's dossier being built):
 * reload it now and then until that is done. The wait grows from 3 to 30 seconds; nothing
 * happens while the tab is hidden. Marked by data-reload-while-pending on any element.
 */
(function () {
  "use strict";
  if (!document.querySelector("[data-reload-while-pending]")) {
    return;
  }
  var key = "reload-while-pending:" + window.location.pathname;
  var delay = Math.min(30000, Number(window.sessionStorage.getItem(key) || 3000));
  window.sessionStorage.setItem(key, String(Math.min(30000, delay * 2)));
  function reload() {
    if (document.hidden) {
      window.setTimeout(reload, delay);
      return;
    }
    window.location.reload();
  }
  window.setTimeout(reload, delay);
})();
