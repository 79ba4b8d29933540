// The console's only script, served from the hub itself (the pages' CSP allows no inline script):
// confirm before actions that cannot be undone, select a link's text with one click.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
document.addEventListener("click", function (event) {
  var target = event.target;
  if (target.hasAttribute && target.hasAttribute("data-select-on-click")) {
    target.select();
  }
});
