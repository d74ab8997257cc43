// The catalogue's filters sit in one disclosure so that a phone shows the first result on
// its first screen. Where there is room beside the results, open it from the start.
"use strict";
for (const box of document.querySelectorAll("details[data-open-wide]")) {
  if (window.matchMedia("(min-width: 48rem)").matches) box.open = true;
}
