/* Typing in the paper survey forms from the keyboard only.
 *
 * In an answer box a key 0-5 is the answer and the cursor moves to the next box (after the
 * last, to the suggestions); Backspace in an empty box goes back one; any other key is
 * ignored. Enter anywhere saves the form (the browser's own submit), and the page comes back
 * with the cursor in the first box. Without this script the page is a plain form.
 */
(function () {
  "use strict";
  var form = document.querySelector("form[data-paper-form]");
  if (!form) return;
  var boxes = Array.prototype.slice.call(form.querySelectorAll("[data-paper-answer]"));
  if (!boxes.length) return;
  var after = form.querySelector("[name=suggestion]");

  function next(index) {
    var target = index + 1 < boxes.length ? boxes[index + 1] : after;
    if (target) {
      target.focus();
      if (target.select) target.select();
    }
  }

  boxes.forEach(function (box, index) {
    box.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      var key = event.key;
      if (/^[0-5]$/.test(key)) {
        event.preventDefault();
        box.value = key;
        box.classList.remove("is-invalid");
        next(index);
      } else if (key === "Backspace" && !box.value && index > 0) {
        event.preventDefault();
        boxes[index - 1].focus();
        boxes[index - 1].select();
      } else if (key.length === 1) {
        event.preventDefault(); // a letter or 6-9: not an answer
      }
    });
    box.addEventListener("focus", function () { box.select(); });
  });

  // The first box without a valid answer, or the first one on a fresh form.
  var first = boxes.filter(function (box) { return !/^[0-5]$/.test(box.value); })[0] || boxes[0];
  first.focus();
})();
