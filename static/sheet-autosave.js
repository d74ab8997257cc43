// Autosave of the score sheet: every few seconds after a change, the form is posted to
// the same address as the Save button, asking for JSON. The server refuses a save that
// started from an older version (another tab saved meanwhile): then autosaving stops and
// the juror is told, so nothing is overwritten silently. Without JavaScript, Save works.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) { return; }
  // Not form.action: the Save and Submit buttons are named "action" and shadow it.
  var target = form.getAttribute("action");
  var status = document.getElementById("autosave-status");
  var version = form.querySelector("input[name=version]");
  var DELAY = 3000;
  var timer = null;
  var saving = false;
  var dirty = false;
  var stopped = false;
  var waiting = null;
  var fr = document.documentElement.lang === "fr";

  function say(text) { if (status) { status.textContent = text; } }

  function save() {
    timer = null;
    if (stopped || !dirty) { return; }
    if (saving) { schedule(); return; }
    saving = true;
    dirty = false;
    var body = new FormData(form);
    body.set("action", "save");
    fetch(target, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (answer) { return [response.status, answer]; });
    }).then(function (result) {
      var code = result[0], answer = result[1];
      if (code === 200) {
        version.value = answer.version;
        var time = new Date().toLocaleTimeString(document.documentElement.lang || undefined);
        say((fr ? "Brouillon enregistré à " : "Draft saved at ") + time);
      } else if (code === 409) {
        stopped = true;
        say(answer.error || (fr ? "Non enregistré." : "Not saved."));
      } else {
        dirty = true;
        say(answer.error || (fr ? "Non enregistré." : "Not saved."));
      }
    }).catch(function () {
      dirty = true;
      say(fr ? "Hors ligne\u00a0: le brouillon sera enregistré plus tard."
             : "Offline: the draft will be saved when the connection is back.");
      schedule();
    }).then(function () {
      saving = false;
      if (waiting) {
        // The juror pressed Save or Submit while an autosave was on its way: post now,
        // with the version that autosave just got.
        var button = waiting;
        waiting = null;
        if (form.requestSubmit) { form.requestSubmit(button); } else { form.submit(); }
      }
    });
  }

  function schedule() {
    if (timer === null && !stopped) { timer = window.setTimeout(save, DELAY); }
  }

  function changed() { dirty = true; schedule(); }

  form.addEventListener("submit", function (event) {
    if (timer !== null) { window.clearTimeout(timer); timer = null; }
    stopped = true;
    if (saving) {
      event.preventDefault();
      waiting = event.submitter || form.querySelector("button[type=submit]");
    }
  });
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
})();
