// Live word counts for fields with a word limit. The server enforces the limits;
// this only helps the applicant see them while typing.
(function () {
  "use strict";
  var fields = document.querySelectorAll("textarea[data-max-words]");
  function count(text) {
    var words = text.trim().split(/\s+/);
    return text.trim() === "" ? 0 : words.length;
  }
  Array.prototype.forEach.call(fields, function (field) {
    var limit = parseInt(field.getAttribute("data-max-words"), 10);
    var output = document.getElementById("count-" + field.name);
    if (!output) { return; }
    // The words come from the page, in its language (the catalogue, not this file).
    var template = output.getAttribute("data-msg-count") || "{n} of at most {limit} words";
    function update() {
      var n = count(field.value);
      output.textContent = template.replace("{n}", n).replace("{limit}", limit);
      output.classList.toggle("over", n > limit);
    }
    field.addEventListener("input", update);
    update();
  });
})();
