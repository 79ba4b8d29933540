// The phone forms' only script (their CSP allows no inline script): a field's error goes away as
// soon as the person changes that field, so a corrected answer no longer looks wrong. The hub checks
// everything again on sending; without this script the errors simply stay until then.
(function () {
  function cleared(event) {
    var field = event.target;
    if (!field.getAttribute || field.getAttribute("aria-invalid") !== "true") {
      return;
    }
    field.removeAttribute("aria-invalid");
    var kept = [];
    (field.getAttribute("aria-describedby") || "").split(/\s+/).forEach(function (id) {
      var note = id && document.getElementById(id);
      if (note && note.classList.contains("error")) {
        note.hidden = true;
      } else if (id) {
        kept.push(id);
      }
    });
    if (kept.length) {
      field.setAttribute("aria-describedby", kept.join(" "));
    } else {
      field.removeAttribute("aria-describedby");
    }
  }
  document.addEventListener("input", cleared);
  document.addEventListener("change", cleared);
})();
