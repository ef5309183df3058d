// Rutinhandboken: behaviour that must hold even when the static page is old, and
// what makes the pages easy to use.
// - A routine's review date is checked against the reader's clock, so a page that
//   was built before the date passed still says that the review is overdue.
// - Process maps are never shrunk below readable labels; a larger map scrolls in
//   its box and opens at full size in a dialog ("Visa kartan större").
// - The start page's search field hands its words to Material's search, and
//   Escape in the search returns the focus to where the reader was.
(function () {
  "use strict";

  // -- Process maps: readable labels ------------------------------------------
  // Material draws each map with Mermaid into a closed shadow root, the SVG as
  // wide as its box up to its natural width, so a wide map is shrunk until its
  // labels cannot be read. Mermaid's render is wrapped (as soon as the library
  // defines window.mermaid, before Material uses it) so that the SVG also gets a
  // min-width: the width at which its labels are --handbok-karta-minsta-text CSS
  // px (handbok.css: 12 on a desktop, 10 on a phone, 16 in the full view). The
  // custom property reaches into the shadow root; the box scrolls beyond it.
  function readableSvg(svg) {
    var open = /<svg\b[^>]*>/.exec(svg);
    if (!open) { return svg; }
    var tag = open[0];
    var box = /\sviewBox="\s*[-\d.e]+[\s,]+[-\d.e]+[\s,]+([\d.e]+)[\s,]+([\d.e]+)\s*"/.exec(tag);
    var font = /font-size:\s*([\d.]+)px/.exec(svg);
    var width = box ? parseFloat(box[1]) : 0;
    var label = font ? parseFloat(font[1]) : 16;
    if (!(width > 0) || !(label > 0)) { return svg; }
    var rule = "min-width: min(" + width + "px, calc(var(--handbok-karta-minsta-text, 12) * " +
      (width / label) + "px));";
    var styled = /\sstyle="[^"]*"/.test(tag) ?
      tag.replace(/\sstyle="([^"]*)"/, function (match, css) {
        return ' style="' + css.replace(/;?\s*$/, "; ") + rule + '"';
      }) :
      tag.replace(/>$/, ' style="' + rule + '">');
    return svg.slice(0, open.index) + styled + svg.slice(open.index + tag.length);
  }

  function wrapMermaid(api) {
    if (!api || typeof api.render !== "function" || api.handbokLasbar) { return; }
    var render = api.render;
    api.render = function () {
      return Promise.resolve(render.apply(api, arguments)).then(function (result) {
        if (result && typeof result.svg === "string") { result.svg = readableSvg(result.svg); }
        return result;
      });
    };
    api.handbokLasbar = true;
  }

  (function hookMermaid() {
    if (window.mermaid && typeof window.mermaid.render === "function") {
      wrapMermaid(window.mermaid);
      return;
    }
    var value = window.mermaid;
    try {
      Object.defineProperty(window, "mermaid", {
        configurable: true,
        enumerable: true,
        get: function () { return value; },
        set: function (api) { value = api; wrapMermaid(api); }
      });
    } catch (error) { /* the page keeps Mermaid's own sizes */ }
  })();

  // -- Process maps: the full view ----------------------------------------------
  function openMap(figure, box, button) {
    var host = box.querySelector(".mermaid");
    if (!host) { return; }
    var caption = figure.querySelector("figcaption span");
    var title = caption ? caption.textContent : "Processkarta";
    var dialog = document.createElement("dialog");
    dialog.className = "handbok-kartdialog";
    dialog.setAttribute("aria-labelledby", "handbok-kartdialog-rubrik");
    var head = document.createElement("div");
    head.className = "handbok-kartdialog__huvud";
    var heading = document.createElement("h2");
    heading.id = "handbok-kartdialog-rubrik";
    heading.textContent = title;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "md-button md-button--primary";
    close.textContent = "Stäng";
    head.appendChild(heading);
    head.appendChild(close);
    var area = document.createElement("div");
    area.className = "handbok-kartdialog__yta";
    area.tabIndex = 0;
    area.setAttribute("role", "group");
    area.setAttribute("aria-label", "Processkartan i full storlek. Stäng med Esc.");
    // The drawn map itself moves into the dialog and back (its shadow root goes with it).
    var placeholder = document.createComment("processkarta");
    host.parentNode.insertBefore(placeholder, host);
    area.appendChild(host);
    dialog.appendChild(head);
    dialog.appendChild(area);
    document.body.appendChild(dialog);
    close.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("close", function () {
      placeholder.parentNode.insertBefore(host, placeholder);
      placeholder.parentNode.removeChild(placeholder);
      dialog.parentNode.removeChild(dialog);
      button.focus();
    });
    dialog.showModal();
    area.focus();
  }

  function enableLargeMaps() {
    if (typeof HTMLDialogElement !== "function") { return; }
    document.querySelectorAll("[data-handbok-visa-storre]").forEach(function (button) {
      var figure = button.closest(".handbok-processkarta");
      var box = figure ? figure.querySelector(".handbok-kartruta") : null;
      if (!box || button.getAttribute("data-handbok-klar")) { return; }
      button.setAttribute("data-handbok-klar", "");
      button.hidden = false;
      button.addEventListener("click", function () { openMap(figure, box, button); });
    });
  }

  // -- Search ---------------------------------------------------------------------
  function searchInput() {
    return document.querySelector("input.md-search__input");
  }

  function enableStartSearch() {
    var form = document.querySelector("[data-handbok-startsok]");
    if (!form || form.getAttribute("data-handbok-klar")) { return; }
    form.setAttribute("data-handbok-klar", "");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var query = searchInput();
      if (!query) { return; }
      query.value = form.querySelector("input").value.trim();
      query.focus();  // Material opens its search when its field gets focus
      query.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true, key: "End" }));
    });
  }

  // Material closes its search on Escape only from the query field, and then leaves
  // the focus on the page's body; from the results it leaves the focus in the hidden
  // list. Escape closes the search from anywhere in it, and the focus goes back to
  // where the reader was before the search opened.
  var beforeSearch = null;
  document.addEventListener("focusin", function (event) {
    if (!event.target.closest || !event.target.closest(".md-search")) { beforeSearch = event.target; }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var toggle = document.getElementById("__search");
    var active = document.activeElement;
    var fromSearch = Boolean(active && active.closest && active.closest(".md-search"));
    // Material may have closed the search already (its handler can run first).
    if (!toggle || (!toggle.checked && !fromSearch)) { return; }
    setTimeout(function () {
      if (toggle.checked && fromSearch) {
        toggle.checked = false;
        toggle.dispatchEvent(new Event("change"));
      }
      if (toggle.checked) { return; }
      var now = document.activeElement;
      if (now && now !== document.body && !(now.closest && now.closest(".md-search"))) { return; }
      var back = beforeSearch && document.contains(beforeSearch) && beforeSearch.checkVisibility &&
        beforeSearch.checkVisibility() ? beforeSearch : null;
      if (back && back.focus) {
        back.focus();
      } else if (now && now.blur) {
        now.blur();
      }
    }, 0);
  });

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
      // On paper the map fits the sheet: no readable-label minimum (see readableSvg).
      host.style.setProperty("--handbok-karta-minsta-text", "0");
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
      host.style.removeProperty("--handbok-karta-minsta-text");
    });
  }

  window.addEventListener("beforeprint", fitMapsForPrint);
  window.addEventListener("afterprint", unfitMapsAfterPrint);

  function start() {
    checkReviewDates();
    enablePrint();
    enableLargeMaps();
    enableStartSearch();
  }

  // Material swaps pages without reloading when instant navigation is on.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();
