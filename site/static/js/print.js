// Buttons marked data-print print the page (the request confirmation, the 喜报). A file of
// its own, so the Content-Security-Policy needs no inline script.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
