// The jury meeting's shared screen: the left and right arrow keys go to the previous and
// next entry (the links marked rel="prev" and rel="next"), unless a form field has focus
// or a modifier key is held, so typing a statement never changes page. The hint that
// says so is shown only when this script runs.
(function () {
  "use strict";
  var hint = document.getElementById("meeting-keys");
  if (hint) { hint.hidden = false; }
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    var target = event.target;
    if (target && target.closest && target.closest("input, textarea, select, [contenteditable]")) { return; }
    var rel = event.key === "ArrowLeft" ? "prev" : event.key === "ArrowRight" ? "next" : "";
    if (!rel) { return; }
    var link = document.querySelector(".meeting-steps a[rel=" + rel + "]");
    if (link) { event.preventDefault(); window.location.href = link.href; }
  });
}());
