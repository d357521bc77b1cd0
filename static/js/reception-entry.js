/* Recording visits in the reception register from the keyboard only.
 *
 * The cursor starts in the name box (in the first box in error after a refusal). In the kind
 * box a key 1-4 is the kind (its name is read out beside it) and the cursor moves on to the
 * summary; any other letter is ignored. Enter anywhere saves the visit (in the summary,
 * Shift+Enter starts a new line), and the page comes back blank for the next visitor.
 * The remit box follows the kind as soon as it is typed (no for a complaint or denunciation,
 * yes otherwise) until the clerk chooses it by hand.
 * Without this script the page is a plain form: a digit typed in the kind box is read the
 * same by the server, and a remit left blank is decided by the kind there too.
 */
(function () {
  "use strict";
  var form = document.querySelector("form[data-visit-form]");
  if (!form) return;
  var labels = {};
  var data = document.getElementById("kind-labels");
  if (data) labels = JSON.parse(data.textContent);
  var kind = form.querySelector("[data-kind-key]");
  var said = form.querySelector("[data-kind-label]");
  var content = form.querySelector("[data-enter-submits]");
  var remit = form.querySelector("[data-remit]");
  var remitChosen = false;
  var LEGAL_KEYS = { "1": true, "2": true }; // complaint, denunciation

  function followKind() {
    if (remit && !remitChosen && kind && /^[1-4]$/.test(kind.value)) {
      remit.value = LEGAL_KEYS[kind.value] ? "no" : "yes";
    }
  }

  if (remit) remit.addEventListener("change", function () { remitChosen = true; });

  function say() {
    if (said && kind) said.textContent = labels[kind.value] || "";
  }

  function save() {
    if (form.requestSubmit) form.requestSubmit();
    else form.submit();
  }

  if (kind) {
    kind.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      var key = event.key;
      if (/^[1-4]$/.test(key)) {
        event.preventDefault();
        kind.value = key;
        kind.classList.remove("is-invalid");
        say();
        followKind();
        if (content) content.focus();
      } else if (key.length === 1) {
        event.preventDefault(); // not a kind
      }
    });
    kind.addEventListener("focus", function () { kind.select(); });
    say();
  }

  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.isComposing) return;
    var target = event.target;
    if (target.tagName === "TEXTAREA") {
      if (event.shiftKey) return; // a new line in the summary
      event.preventDefault();
      save();
    } else if (
      target.tagName === "SELECT" ||
      (target.tagName === "INPUT" && (target.type === "checkbox" || target.type === "radio"))
    ) {
      event.preventDefault();
      save();
    }
    // In a text box Enter is the browser's own submit.
  });

  var first = form.querySelector(".is-invalid") || form.querySelector("[autofocus]");
  if (first) {
    first.focus();
    if (first.select) first.select();
  }
})();
