/* The secretary's page at a session: nothing typed is lost.
 *
 * Each speaker's form is kept on this device (localStorage) as it is typed, and when saved it
 * joins a queue of speeches to send. The queue is sent at once and again whenever the
 * connection returns (and every 15 seconds while anything waits). Each speech carries the id
 * made when its form was shown, so a speech sent twice updates one row on the server.
 * Without this script the form still posts as an ordinary form.
 */
(function () {
  "use strict";
  var form = document.querySelector("form[data-record-form]");
  if (!form || !window.localStorage || !window.fetch) return;

  var prefix = "session-record:" + form.getAttribute("data-session") + ":";
  var queueKey = prefix + "queue";
  var draftKey = prefix + "draft";
  var list = document.getElementById("speeches");
  var empty = document.getElementById("no-speech");
  var status = document.querySelector("[data-testid=connection-status]");
  var token = form.querySelector("[name=csrfmiddlewaretoken]").value;
  var sending = false;

  function text(name, values) {
    var template = form.getAttribute("data-text-" + name) || "";
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return key in (values || {}) ? values[key] : all;
    });
  }

  function newId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return "xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx".replace(/x/g, function () {
      return Math.floor(Math.random() * 16).toString(16);
    });
  }

  function read(key) {
    try { return JSON.parse(localStorage.getItem(key)) || null; } catch (error) { return null; }
  }

  function write(key, value) {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  }

  function fieldsOf() {
    var fields = {};
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken") fields[name] = value;
    });
    return fields;
  }

  function fill(fields) {
    Object.keys(fields).forEach(function (name) {
      var input = form.elements[name];
      if (!input) return;
      if (input.type === "checkbox") input.checked = fields[name] === "on";
      else input.value = fields[name];
    });
  }

  function showStatus(offline) {
    var queue = read(queueKey) || [];
    status.classList.toggle("alert-warning", offline || queue.length > 0);
    status.classList.toggle("alert-success", !offline && queue.length === 0);
    if (offline) status.textContent = text("offline") + " " + text("waiting", { count: queue.length });
    else if (queue.length) status.textContent = text("waiting", { count: queue.length });
    else status.textContent = "";
  }

  function pendingItem(entry) {
    var item = document.createElement("li");
    item.className = "speech pending mb-3";
    item.setAttribute("data-client-id", entry.client_id);
    var who = document.createElement("div");
    who.className = "small text-body-secondary";
    who.textContent = entry.fields.speaker + (entry.fields.speaker_from ? " · " + entry.fields.speaker_from : "");
    var said = document.createElement("div");
    said.className = "preserve-lines";
    said.textContent = entry.fields.raised;
    var note = document.createElement("div");
    note.className = "small text-warning-emphasis";
    note.setAttribute("data-note", "");
    note.textContent = text("waiting", { count: "…" });
    item.append(who, said, note);
    return item;
  }

  function place(clientId, element) {
    var existing = list.querySelector('[data-client-id="' + clientId + '"]');
    if (existing) existing.replaceWith(element);
    else list.appendChild(element);
    empty.classList.add("d-none");
  }

  function dequeue(clientId) {
    write(queueKey, (read(queueKey) || []).filter(function (entry) {
      return entry.client_id !== clientId;
    }));
  }

  function send() {
    var queue = read(queueKey) || [];
    if (sending || !queue.length) { showStatus(!navigator.onLine); return; }
    sending = true;
    var entry = queue[0];
    fetch(form.action, {
      method: "POST",
      headers: { "X-CSRFToken": token, Accept: "application/json" },
      body: new URLSearchParams(entry.fields),
      credentials: "same-origin",
    }).then(function (response) {
      if (response.status === 400) {
        return response.json().then(function (body) {
          var reasons = Object.keys(body.errors || {}).map(function (name) {
            return body.errors[name].join(" ");
          });
          var item = list.querySelector('[data-client-id="' + entry.client_id + '"]');
          if (item) {
            item.classList.add("text-danger");
            item.querySelector("[data-note]").textContent = text("refused", { reason: reasons.join(" ") });
          }
          dequeue(entry.client_id);
          return true;
        });
      }
      if (!response.ok) return false;  // the server will take it later
      return response.json().then(function (body) {
        var holder = document.createElement("template");
        holder.innerHTML = body.html.trim();
        place(entry.client_id, holder.content.firstElementChild);
        dequeue(entry.client_id);
        return true;
      });
    }, function () {
      return false;  // no connection
    }).then(function (sent) {
      sending = false;
      showStatus(!sent && !navigator.onLine);
      if (sent) send();
      else showStatus(true);
    });
  }

  // Start where the last visit stopped: a form half typed, speeches not yet sent.
  var draft = read(draftKey);
  if (draft) fill(draft);
  (read(queueKey) || []).forEach(function (entry) { place(entry.client_id, pendingItem(entry)); });

  form.addEventListener("input", function () { write(draftKey, fieldsOf()); });
  form.addEventListener("change", function () { write(draftKey, fieldsOf()); });
  form.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var fields = fieldsOf();
    if (!fields.speaker.trim() || !fields.raised.trim()) {
      form.reportValidity();
      (fields.speaker.trim() ? form.elements.raised : form.elements.speaker).focus();
      return;
    }
    var entry = { client_id: fields.client_id, fields: fields };
    var queue = (read(queueKey) || []).filter(function (other) {
      return other.client_id !== entry.client_id;
    });
    queue.push(entry);
    write(queueKey, queue);
    place(entry.client_id, pendingItem(entry));
    form.reset();
    form.elements.client_id.value = newId();
    form.elements.dialogued.checked = true;
    write(draftKey, null);
    form.elements.speaker.focus();
    send();
  });
  window.addEventListener("online", send);
  window.addEventListener("offline", function () { showStatus(true); });
  setInterval(send, 15000);
  send();
})();
