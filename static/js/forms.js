/* Help every form gives while one types, without ever changing what was typed.
 *
 * <textarea data-limit="10000">     a counter "1.234 / 10.000" under the field; over the limit
 *                                   it turns red (the server refuses it with a message: a
 *                                   paste is never cut).
 * <input data-deadline-hint="ID">   a date typed as dd/mm/yyyy is read against the calendar in
 *                                   <script type="application/json" id="ID"> (days off with
 *                                   their reason, and the texts to show): how many working
 *                                   days it gives from today, or a warning on a day off.
 */
(function () {
  "use strict";
  var grouping = new Intl.NumberFormat("vi-VN");

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, key) {
      return key in values ? values[key] : all;
    });
  }

  function counter(field) {
    var form = field.form;
    var quick = form && form.getAttribute("data-petition-form") === "quick";
    var box = document.querySelector('[data-count-for="' + field.id + '"]');
    if (!box) {
      box = document.createElement("div");
      box.className = "char-count";
      box.setAttribute("aria-live", "polite");
      field.insertAdjacentElement("afterend", box);
    }
    var limit = parseInt(field.getAttribute("data-limit"), 10);
    function update() {
      var length = field.value.length;
      box.textContent = quick && !length ? "" : grouping.format(length) + " / " + grouping.format(limit);
      box.classList.toggle("over", length > limit);
    }
    field.addEventListener("input", update);
    if (form) form.addEventListener("reset", function () { setTimeout(update, 0); });
    update();
  }

  function iso(day) {
    var month = String(day.getMonth() + 1).padStart(2, "0");
    return day.getFullYear() + "-" + month + "-" + String(day.getDate()).padStart(2, "0");
  }

  function shown(day) {
    return String(day.getDate()).padStart(2, "0") + "/" +
      String(day.getMonth() + 1).padStart(2, "0") + "/" + day.getFullYear();
  }

  function parse(text) {
    var found = /^\s*(\d{1,2})\s*\/\s*(\d{1,2})\s*\/\s*(\d{4})\s*$/.exec(text);
    if (!found) return null;
    var day = new Date(+found[3], +found[2] - 1, +found[1]);
    if (day.getDate() !== +found[1] || day.getMonth() !== +found[2] - 1) return null;
    return day;
  }

  function deadlineHint(field) {
    var source = document.getElementById(field.getAttribute("data-deadline-hint"));
    if (!source) return;
    var calendar = JSON.parse(source.textContent);
    var start = parse(calendar.fromShown);
    var hint = document.createElement("div");
    hint.className = "form-text deadline-hint";
    hint.setAttribute("aria-live", "polite");
    hint.id = field.id + "-hint";
    field.setAttribute("aria-describedby",
      ((field.getAttribute("aria-describedby") || "") + " " + hint.id).trim());
    field.insertAdjacentElement("afterend", hint);

    function update() {
      var day = parse(field.value);
      hint.classList.remove("text-danger", "text-warning-emphasis");
      if (!day) { hint.textContent = ""; return; }
      if (iso(day) < calendar.from) {
        hint.textContent = fill(calendar.texts.past, { date: shown(day) });
        hint.classList.add("text-danger");
        return;
      }
      if (iso(day) > calendar.until) { hint.textContent = ""; return; }
      var days = 0;
      var cursor = new Date(start.getTime());
      while (iso(cursor) < iso(day)) {
        cursor.setDate(cursor.getDate() + 1);
        if (!(iso(cursor) in calendar.daysOff)) days += 1;
      }
      var reason = calendar.daysOff[iso(day)];
      if (reason) {
        hint.textContent = fill(calendar.texts.dayOff, { date: shown(day), reason: reason, days: days });
        hint.classList.add("text-warning-emphasis");
      } else {
        hint.textContent = fill(calendar.texts.working, { date: shown(day), days: days });
      }
    }
    field.addEventListener("input", update);
    field.addEventListener("change", update);
    update();
  }

  document.querySelectorAll("[data-limit]").forEach(counter);
  document.querySelectorAll("[data-deadline-hint]").forEach(deadlineHint);
})();
