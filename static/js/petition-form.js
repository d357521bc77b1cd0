/* The petition intake forms: show the fields a choice needs and move through the form from
 * the keyboard (character counters come from forms.js).
 *
 * <form data-petition-form="full">   the full form: Enter moves on, a text area keeps Enter
 *                                    for new lines, Ctrl+Enter saves.
 * <form data-petition-form="quick">  quick entry: Enter moves on even from a text area
 *                                    (Shift+Enter for a new line); Enter in the last field
 *                                    or Ctrl+Enter saves.
 */
(function () {
  "use strict";
  var LEGAL_KINDS = ["complaint", "denunciation"];

  function setUp(form) {
    var quick = form.getAttribute("data-petition-form") === "quick";
    var kind = form.querySelector("#id_kind");
    var group = form.querySelector("#id_is_group");

    function toggle() {
      var legal = kind && LEGAL_KINDS.indexOf(kind.value) !== -1;
      form.querySelectorAll("[data-show-if-legal]").forEach(function (el) { el.hidden = !legal; });
      form.querySelectorAll("[data-show-if-group]").forEach(function (el) {
        el.hidden = !(group && group.checked);
      });
    }
    if (kind) kind.addEventListener("change", toggle);
    if (group) group.addEventListener("change", function () {
      toggle();
      var people = form.querySelector("#id_people_count");
      if (!quick && group.checked && people) people.focus();
    });
    form.addEventListener("reset", function () { setTimeout(toggle, 0); });
    toggle();

    function fields() {
      return Array.prototype.filter.call(form.elements, function (el) {
        return !el.disabled && el.type !== "hidden" && el.tagName !== "BUTTON" &&
          el.offsetParent !== null;
      });
    }

    form.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.isComposing) return;
      var target = event.target;
      if (target.tagName === "BUTTON" || target.tagName === "A") return;
      if (event.ctrlKey || event.metaKey) {
        event.preventDefault();
        form.requestSubmit();
        return;
      }
      if (target.tagName === "TEXTAREA" && (!quick || event.shiftKey)) return;
      if (target.type === "file") return;
      event.preventDefault();
      var list = fields();
      var index = list.indexOf(target);
      if (quick && (index === -1 || index === list.length - 1)) {
        form.requestSubmit();
        return;
      }
      var next = list[index + 1];
      if (!next) return;
      next.focus();
      if (quick && next.select && next.type === "text") next.select();
    });

    var invalid = form.querySelector(".is-invalid");
    var channel = form.querySelector("#id_channel");
    if (invalid) {
      invalid.focus();
    } else if (quick) {
      if (channel && !channel.value) channel.focus();
    } else if (!form.querySelector("[autofocus]")) {
      var first = fields()[0];
      if (first) first.focus();
    }
  }

  document.querySelectorAll("form[data-petition-form]").forEach(setUp);
})();
