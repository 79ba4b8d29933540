// The only script of the pages printed from the browser (the poster, a bus's manifest; their CSP
// allows no inline script): a button marked data-print prints the page.
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest("[data-print]")) {
    window.print();
  }
});
