// The poster page's only script (the page's CSP allows no inline script): its button prints it.
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest("[data-print]")) {
    window.print();
  }
});
