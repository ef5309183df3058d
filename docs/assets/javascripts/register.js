// Rutinhandboken: sorting and filtering of the register tables, in the page
// itself (no external script). Without JavaScript the table is complete and
// readable; the script only adds sort buttons in the column headers and shows
// the filter field.
(function () {
  "use strict";

  var collator = new Intl.Collator("sv", { numeric: true, sensitivity: "base" });

  function value(row, index) {
    var cell = row.cells[index];
    if (!cell) { return ""; }
    var explicit = cell.getAttribute("data-sorteringsvarde");
    return explicit !== null ? explicit : cell.textContent.trim();
  }

  function sortRows(table, index, ascending) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (row, position) {
      if (!row.hasAttribute("data-ursprunglig-ordning")) {
        row.setAttribute("data-ursprunglig-ordning", String(position));
      }
    });
    rows.sort(function (a, b) {
      var order = collator.compare(value(a, index), value(b, index));
      if (order === 0) {
        // Stable: equal values keep the handbook's own order.
        order = Number(a.getAttribute("data-ursprunglig-ordning")) - Number(b.getAttribute("data-ursprunglig-ordning"));
        return order;
      }
      return ascending ? order : -order;
    });
    var fragment = document.createDocumentFragment();
    rows.forEach(function (row) { fragment.appendChild(row); });
    body.appendChild(fragment);
  }

  function enableSorting(table) {
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    headers.forEach(function (th, index) {
      if (!th.hasAttribute("data-sortera")) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "handbok-sortera";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      var arrow = document.createElement("span");
      arrow.className = "handbok-sortera__pil";
      arrow.setAttribute("aria-hidden", "true");
      button.appendChild(arrow);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        sortRows(table, index, ascending);
        // Only the sorted column carries aria-sort (WAI-ARIA sortable table pattern).
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      });
    });
  }

  function countText(shown, total) {
    var noun = total === 1 ? "rutin" : "rutiner";
    if (shown === total) { return total + " " + noun + "."; }
    if (shown === 0) { return "Ingen av " + total + " " + noun + " matchar filtret."; }
    return "Visar " + shown + " av " + total + " " + noun + ".";
  }

  function enableFilter(box, table) {
    var input = box.querySelector("input");
    var status = document.getElementById(input.getAttribute("aria-describedby"));
    var total = table.tBodies[0].rows.length;
    var timer = null;
    box.hidden = false;
    input.addEventListener("input", function () {
      var words = input.value.toLocaleLowerCase("sv").split(/\s+/).filter(Boolean);
      var shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var text = row.textContent.toLocaleLowerCase("sv");
        var match = words.every(function (word) { return text.indexOf(word) !== -1; });
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      // The count is a live region: announce it once typing pauses, not per key.
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        if (status) { status.textContent = countText(shown, total); }
      }, 400);
    });
  }

  // The review plan was computed on the day the site was built. Like the
  // routine pages, it is re-checked against the reader's date, so a page that
  // has not been rebuilt still shows which reviews are overdue.
  function isoToday() {
    var now = new Date();
    return now.getFullYear() + "-" + String(now.getMonth() + 1).padStart(2, "0") + "-" +
      String(now.getDate()).padStart(2, "0");
  }

  function daysFrom(from, to) {
    return Math.round((Date.parse(to + "T00:00:00Z") - Date.parse(from + "T00:00:00Z")) / 86400000);
  }

  function plural(number, one, many) {
    return number + " " + (number === 1 ? one : many);
  }

  // The rule and its words come from the page (core.state.review_rule), so the
  // browser says exactly what the build says, only with the reader's date.
  function reviewState(days, rule) {
    var texts = rule.texter;
    var span = function (n) { return plural(n, "dag", "dagar"); };
    if (days < 0) { return ["forsenad", texts.forsenad.replace("{dagar}", span(-days))]; }
    if (days === 0) { return ["snart", texts.idag]; }
    if (days <= rule.varningsdagar) { return ["snart", texts.snart.replace("{dagar}", span(days))]; }
    return ["i-tid", texts["i-tid"]];
  }

  function refreshReviewPlan() {
    var summary = document.querySelector(".handbok-revideringsläge[data-idag]");
    var table = document.querySelector('table[data-handbok-tabell="revideringsplan"]');
    var today = isoToday();
    if (!summary || !table || summary.getAttribute("data-idag") >= today) { return; }
    var rule = JSON.parse(summary.getAttribute("data-regel"));
    var warningDays = rule.varningsdagar;
    var counts = { forsenad: 0, snart: 0, "i-tid": 0 };
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      var state = reviewState(daysFrom(today, row.getAttribute("data-revidera")), rule);
      counts[state[0]] += 1;
      row.setAttribute("data-lage", state[0]);
      var mark = row.querySelector(".handbok-lage");
      mark.className = "handbok-lage handbok-lage--" + state[0];
      mark.textContent = "";
      var text = document.createTextNode(state[1]);
      if (state[0] === "i-tid") {
        mark.appendChild(text);
      } else {
        var strong = document.createElement("strong");
        strong.appendChild(text);
        mark.appendChild(strong);
      }
    });
    summary.setAttribute("data-idag", today);
    var time = summary.querySelector("time");
    time.setAttribute("datetime", today);
    time.textContent = today;
    summary.querySelector("strong").textContent =
      plural(counts.forsenad, "försenad revidering", "försenade revideringar");
    summary.lastChild.textContent = ", " + plural(counts.snart, "rutin", "rutiner") +
      " ska revideras inom " + warningDays + " dagar.";
  }

  function setUp() {
    refreshReviewPlan();
    document.querySelectorAll("table[data-handbok-sorterbar]").forEach(function (table) {
      if (table.hasAttribute("data-handbok-aktiv")) { return; }
      table.setAttribute("data-handbok-aktiv", "");
      enableSorting(table);
    });
    document.querySelectorAll("[data-handbok-filter-for]").forEach(function (box) {
      var table = document.getElementById(box.getAttribute("data-handbok-filter-for"));
      if (table && box.hidden) { enableFilter(box, table); }
    });
  }

  // Material swaps pages without reloading when instant navigation is on.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUp);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
