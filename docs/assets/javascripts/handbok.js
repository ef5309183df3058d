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

  // Printed, a tall process map is narrowed until it fits one A4 page beside
  // its heading (print.css keeps them together). Material draws the map in a
  // closed shadow root whose SVG follows the width of its host, so the host is
  // laid out at the printed column's width (A4 less margins) and narrowed
  // until the measured height fits; a few rounds settle maps whose SVG stops
  // at its own maximum width.
  var MM = 96 / 25.4;
  var PRINT_MAP_HEIGHT = 225 * MM;
  var PRINT_COLUMN = 180 * MM;

  function fitMapsForPrint() {
    document.querySelectorAll(".handbok-processkarta .mermaid").forEach(function (host) {
      host.style.width = PRINT_COLUMN + "px";
      for (var round = 0; round < 4; round += 1) {
        var box = host.getBoundingClientRect();
        if (!box.width || box.height <= PRINT_MAP_HEIGHT + 1) { break; }
        host.style.width = Math.floor(box.width * PRINT_MAP_HEIGHT / box.height) + "px";
      }
      if (host.style.width === PRINT_COLUMN + "px") { host.style.width = ""; }
    });
  }

  function unfitMapsAfterPrint() {
    document.querySelectorAll(".handbok-processkarta .mermaid").forEach(function (host) {
      host.style.width = "";
    });
  }

  window.addEventListener("beforeprint", fitMapsForPrint);
  window.addEventListener("afterprint", unfitMapsAfterPrint);

  // Material swaps pages without reloading when instant navigation is on.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { checkReviewDates(); enablePrint(); });
  } else {
    document.addEventListener("DOMContentLoaded", function () { checkReviewDates(); enablePrint(); });
  }
})();
