// Rutinhandboken: behaviour that must hold even when the static page is old.
// A routine's review date is checked against the reader's clock, so a page that
// was built before the date passed still says that the review is overdue.
(function () {
  "use strict";

  function today() {
    var now = new Date();
    var month = String(now.getMonth() + 1).padStart(2, "0");
    var day = String(now.getDate()).padStart(2, "0");
    return now.getFullYear() + "-" + month + "-" + day;
  }

  function checkReviewDates() {
    var box = document.querySelector(".handbok-metadata[data-review-by]");
    var banner = document.querySelector("[data-handbok-forsenad]");
    if (box && banner && box.getAttribute("data-review-by") < today()) {
      banner.hidden = false;
    }
  }

  function enablePrint() {
    document.querySelectorAll("[data-handbok-skriv-ut]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  // Material swaps pages without reloading when instant navigation is on.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { checkReviewDates(); enablePrint(); });
  } else {
    document.addEventListener("DOMContentLoaded", function () { checkReviewDates(); enablePrint(); });
  }
})();
