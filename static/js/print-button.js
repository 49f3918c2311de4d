// A "Print" button where the page is made to be printed; without JavaScript the browser's own
// print command does the same, so the button only appears when it works.
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
