// The score sheet's autosave now lives in the shared module, static/autosave.js (the
// entry form uses it too). This file stays only so that a page that still names it
// keeps its autosave: it loads the shared module once.
(function () {
  "use strict";
  if (document.querySelector("script[src='/static/autosave.js']")) { return; }
  var script = document.createElement("script");
  script.src = "/static/autosave.js";
  document.head.appendChild(script);
})();
