// Autosave, shared by the juror's score sheet and the applicant's entry form.
//
// A form with data-autosave="on" is posted, a moment after each change, to the same
// address as its Save button, asking for JSON. The server answers the new version
// (200, or 422 when it saved the draft but some answers need correcting), or 409 when
// the form started from an older version because another tab saved meanwhile: then
// autosaving stops and the person is told, so nothing is overwritten silently and the
// text stays in the page. A form with data-autosave-warn="on" (or autosave on), and any
// posted form with a text box unless it says data-autosave-warn="off", asks before the
// page is left with changes that are not saved. The layout loads this on every page. Without JavaScript, the
// Save buttons do the same work.
//
// The status element (#autosave-status, aria-live) carries its own translated texts:
// data-msg-saved ("Saved at {time}"), data-msg-saving, data-msg-unsaved,
// data-msg-offline, data-msg-failed, data-msg-conflict. An element with
// data-autosave-state shows data-autosave-state-label once a save succeeded, so a
// header that said "Not started" follows what is written.
(function () {
  "use strict";
  if (!window.fetch || !window.FormData) { return; }
  var DELAY = 2000;
  // Each page gives its status line the messages in its language (data-msg-*, from the
  // catalogue); these are only what a page that forgot one would show.
  var FALLBACK = {
    saved: "Saved at {time}",
    saving: "Saving…",
    unsaved: "Changes not saved yet",
    offline: "Not saved: no connection.",
    failed: "Not saved."
  };

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function clock() { var now = new Date(); return pad(now.getHours()) + ":" + pad(now.getMinutes()); }

  function setUp(form) {
    var autosave = form.getAttribute("data-autosave") === "on";
    var asked = form.getAttribute("data-autosave-warn");
    // Any posted form with a text box warns before its typing is lost, unless it says off.
    var warn = autosave || asked === "on" || (asked !== "off" && form.querySelector("textarea") !== null);
    if (!warn) { return; }
    // Not form.action: the Save and Submit buttons are named "action" and shadow it.
    var target = form.getAttribute("action");
    var status = form.querySelector("#autosave-status") || document.getElementById("autosave-status");
    var state = document.querySelector("[data-autosave-state]");
    var version = form.querySelector("input[name=version]");
    var timer = null, saving = false, dirty = false, stopped = false, leaving = false;
    var waiting = null;

    function text(key) {
      return (status && status.getAttribute("data-msg-" + key)) || FALLBACK[key] || "";
    }
    function say(message) { if (status && status.textContent !== message) { status.textContent = message; } }
    function saved(note) {
      say(text("saved").replace("{time}", clock()) + (note ? " " + note : ""));
      if (state && state.getAttribute("data-autosave-state-label")) {
        state.textContent = state.getAttribute("data-autosave-state-label");
      }
    }

    function save() {
      timer = null;
      if (stopped || !dirty) { return; }
      if (saving) { schedule(); return; }
      saving = true;
      dirty = false;
      say(text("saving"));
      var body = new FormData(form);
      body.set("action", "save");
      body.delete("remove_attachment");
      // A chosen file is sent by the Upload button, not with every autosave.
      Array.prototype.forEach.call(form.querySelectorAll("input[type=file]"), function (input) {
        if (input.name) { body.delete(input.name); }
      });
      fetch(target, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        return response.json().then(function (answer) { return [response.status, answer]; });
      }).then(function (result) {
        var code = result[0], answer = result[1];
        if ((code === 200 || code === 422) && answer.version !== undefined && (code === 200 || answer.saved_at)) {
          version.value = answer.version;
          if (dirty) { say(text("unsaved")); } else { saved(answer.note || ""); }
        } else if (code === 409) {
          stopped = true;
          dirty = true;
          say(text("conflict") || answer.error || text("failed"));
        } else {
          dirty = true;
          say(answer.error || text("failed"));
        }
      }).catch(function () {
        dirty = true;
        say(text("offline"));
        schedule();
      }).then(function () {
        saving = false;
        if (waiting) {
          // A button was pressed while an autosave was on its way: post now, with the
          // version that autosave just got.
          var button = waiting;
          waiting = null;
          if (form.requestSubmit) { form.requestSubmit(button); } else { form.submit(); }
        }
      });
    }

    function schedule() {
      if (autosave && timer === null && !stopped) { timer = window.setTimeout(save, DELAY); }
    }

    function changed(event) {
      if (event.target && event.target.type === "file") { return; }
      if (!dirty && !saving) { say(text("unsaved")); }
      dirty = true;
      schedule();
    }

    form.addEventListener("submit", function (event) {
      if (timer !== null) { window.clearTimeout(timer); timer = null; }
      stopped = true;
      leaving = true;
      if (saving) {
        event.preventDefault();
        waiting = event.submitter || form.querySelector("button[type=submit]");
      }
    });
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    if (warn) {
      window.addEventListener("beforeunload", function (event) {
        if (leaving || !(dirty || saving)) { return; }
        event.preventDefault();
        event.returnValue = "";
      });
    }
  }

  Array.prototype.forEach.call(
    document.querySelectorAll("form[data-autosave], form[method=post], form[method=POST]"), setUp);
})();
