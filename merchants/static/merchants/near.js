// "按离我远近排序": asks the browser for the reader's position, rounds it to about a
// kilometre, and posts it; the site keeps it only in the session, never in a URL.
(function () {
  "use strict";
  var form = document.getElementById("near-form");
  if (!form || !navigator.geolocation) return;
  var status = form.querySelector("[data-near-status]");
  form.hidden = false;
  form.addEventListener("submit", function (event) {
    if (form.elements.latitude.value) return;
    event.preventDefault();
    status.textContent = form.dataset.locating;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        form.elements.latitude.value = position.coords.latitude.toFixed(2);
        form.elements.longitude.value = position.coords.longitude.toFixed(2);
        form.submit();
      },
      function () {
        status.textContent = form.dataset.failed;
      },
      { timeout: 10000, maximumAge: 600000 }
    );
  });
})();
