/* The petition list's bulk assignment: tick petitions, see how many, assign them at once. */
(function () {
  "use strict";
  var boxes = Array.prototype.slice.call(document.querySelectorAll(".bulk-check"));
  var all = document.getElementById("check-all");
  var count = document.getElementById("selected-count");
  var submit = document.getElementById("bulk-submit");
  if (!all || !count || !submit) return;
  function update() {
    var n = boxes.filter(function (box) { return box.checked; }).length;
    count.textContent = n;
    submit.disabled = n === 0;
    all.checked = n === boxes.length;
    all.indeterminate = n > 0 && n < boxes.length;
  }
  boxes.forEach(function (box) { box.addEventListener("change", update); });
  all.addEventListener("change", function () {
    boxes.forEach(function (box) { box.checked = all.checked; });
    update();
  });
  update();
})();
