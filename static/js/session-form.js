/* The session form shows the fields its kind needs: the half of the year for a periodic
 * session, the pressing issue and who decided it for an ad-hoc one. Hidden fields keep what
 * was typed. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-session-form]");
  if (!form) return;
  function update() {
    var chosen = form.querySelector('input[name="kind"]:checked');
    var kind = chosen ? chosen.value : "";
    form.querySelectorAll("[data-for-kind]").forEach(function (block) {
      block.hidden = kind && block.getAttribute("data-for-kind").split(" ").indexOf(kind) === -1;
    });
  }
  form.querySelectorAll('input[name="kind"]').forEach(function (radio) {
    radio.addEventListener("change", update);
  });
  update();
})();
