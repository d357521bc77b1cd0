/* The answer form: start from one of the topic's ready wordings. What was typed is replaced
 * only after the user agrees. */
(function () {
  "use strict";
  var picker = document.getElementById("answer-template");
  if (!picker) return;
  picker.addEventListener("change", function () {
    var source = document.getElementById("answer-template-" + picker.value);
    var target = document.getElementById("id_text");
    if (!source || !target) return;
    if (target.value.trim() && !window.confirm(picker.getAttribute("data-replace-confirm"))) return;
    target.value = source.content.textContent;
    target.dispatchEvent(new Event("input"));
    target.focus();
  });
})();
