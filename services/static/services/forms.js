// After a failed submit the error summary takes focus, so a screen reader reads it and a
// phone scrolls to it (the GOV.UK pattern); its links move to each field.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});
