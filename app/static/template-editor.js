// Template editor: preview a moment after each change, show the error with its line and put
// the cursor on that line. Without this script the Preview button posts the form.
(function () {
  "use strict";
  var form = document.getElementById("template-form");
  if (!form) { return; }
  var source = document.getElementById("source");
  var error = document.getElementById("template-error");
  var preview = document.getElementById("preview");
  var warnings = document.getElementById("preview-warnings");
  var timer = null;
  var sent = 0;

  function goToLine(line) {
    var offset = 0;
    var lines = source.value.split("\n");
    for (var i = 0; i < line - 1 && i < lines.length; i++) { offset += lines[i].length + 1; }
    source.setSelectionRange(offset, offset + (lines[line - 1] || "").length);
  }

  function refresh() {
    timer = null;
    var data = new FormData(form);
    data.delete("action");
    var number = ++sent;
    fetch(form.dataset.previewUrl, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (body) {
        if (number !== sent) { return; }  // a newer preview is on its way
        if (body.error) {
          error.textContent = error.dataset.label + ": " + body.error;
          error.hidden = false;
          source.setAttribute("aria-invalid", "true");
          if (body.line && document.activeElement !== source) { goToLine(body.line); }
          return;
        }
        error.hidden = true;
        source.removeAttribute("aria-invalid");
        if (form.dataset.html === "yes") { preview.srcdoc = body.output; } else { preview.textContent = body.output; }
        warnings.textContent = "";
        body.warnings.forEach(function (item) {
          var li = document.createElement("li");
          li.className = "warn";
          li.textContent = "«" + item.phrase + "»: " + item.reason + ". " + warnings.dataset.instead + ": " + item.suggestion;
          warnings.appendChild(li);
        });
      });
  }

  function soon() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(refresh, 400);
  }
  source.addEventListener("input", soon);
  document.getElementById("preview_locale").addEventListener("change", soon);
})();
