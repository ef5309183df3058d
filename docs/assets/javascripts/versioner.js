// Rutinhandboken: published versions (handbok.release).
// 1. The banner on a version that is not in force names the version in force,
//    read from mike's versions.json when the page is read, and links to the
//    same page in that version when it exists there; the version selector marks
//    the version in force ("gällande").
// 2. The page "Beslut och versioner" answers which version (and which version
//    of a routine) was in force on a given day, from data in the page itself.
(function () {
  "use strict";

  function siteBase() {
    var config = document.getElementById("__config");
    var base = ".";
    try { base = JSON.parse(config.textContent).base || "."; } catch (e) { /* keep "." */ }
    return new URL(base.replace(/\/?$/, "/"), window.location.href);
  }

  function fillBanner() {
    var banner = document.querySelector("[data-handbok-versionsbanner]");
    if (!banner || !window.fetch) { return; }
    var alias = banner.getAttribute("data-alias") || "gallande";
    var base = siteBase();
    fetch(new URL("../versions.json", base)).then(function (response) {
      return response.ok ? response.json() : [];
    }).then(function (versions) {
      var current = versions.filter(function (v) { return (v.aliases || []).indexOf(alias) >= 0; })[0];
      if (!current) { return; }
      markSelector(current.version, alias, base);
      banner.querySelectorAll("[data-handbok-gallande-version]").forEach(function (el) {
        el.textContent = current.version;
      });
      var link = banner.querySelector("[data-handbok-gallande-lank]");
      var path = window.location.pathname.indexOf(base.pathname) === 0 ?
        window.location.pathname.slice(base.pathname.length) : "";
      var same = new URL("../" + alias + "/" + path, base);
      if (!link || !path) { return; }
      fetch(same, { method: "HEAD" }).then(function (r) { if (r.ok) { link.href = same.href; } });
    }).catch(function () { /* no versions.json: not a published site */ });
  }

  // Material builds its version selector from the same versions.json, when it likes;
  // the entry of the version in force gets the word "gällande" once it is there.
  function markSelector(version, alias, base) {
    var target = new URL("../" + version + "/", base).pathname;
    var aliased = new URL("../" + alias + "/", base).pathname;
    function mark() {
      var links = document.querySelectorAll(".md-version__link");
      if (!links.length) { return false; }
      links.forEach(function (link) {
        if (new URL(link.href, window.location.href).pathname !== target ||
            link.querySelector(".handbok-gallande-markering")) { return; }
        var word = document.createElement("span");
        word.className = "handbok-gallande-markering";
        word.textContent = " – gällande";
        link.appendChild(word);
      });
      var button = document.querySelector(".md-version__current");
      if (button && (base.pathname === target || base.pathname === aliased) && !button.querySelector(".handbok-gallande-markering")) {
        var own = document.createElement("span");
        own.className = "handbok-gallande-markering";
        own.textContent = " – gällande";
        button.appendChild(own);
      }
      return true;
    }
    if (mark()) { return; }
    var observer = new MutationObserver(function () { if (mark()) { observer.disconnect(); } });
    observer.observe(document.body, { childList: true, subtree: true });
    setTimeout(function () { observer.disconnect(); }, 10000);
  }

  function releaseOn(releases, day) {
    var found = null;
    releases.forEach(function (r) { if (r.valid_from <= day) { found = r; } });
    return found;
  }

  function routineOn(releases, day, id) {
    for (var i = releases.length - 1; i >= 0; i--) {
      var release = releases[i];
      if (release.valid_from > day) { continue; }
      var entry = release.routines.filter(function (r) { return r.id === id; })[0];
      if (!entry) { return null; }
      if (entry.status === "utkast") { continue; }
      if (entry.status === "gällande" && entry.valid_from && entry.valid_from > day) { continue; }
      return { release: release, entry: entry };
    }
    return null;
  }

  function text(tag, content) {
    var el = document.createElement(tag);
    el.textContent = content;
    return el;
  }

  function link(content, href) {
    var a = text("a", content);
    a.href = href;
    return a;
  }

  function pointInTime() {
    var form = document.querySelector("[data-handbok-vid-datum]");
    var data = document.getElementById("handbok-releaser");
    if (!form || !data) { return; }
    var releases = JSON.parse(data.textContent).releases;
    var answer = document.querySelector("[data-handbok-svar]");
    var base = siteBase();
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var day = form.querySelector("input[name=datum]").value;
      var id = form.querySelector("select[name=rutin]").value;
      answer.textContent = "";
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) {
        answer.appendChild(text("p", "Skriv ett datum som ÅÅÅÅ-MM-DD."));
        return;
      }
      var release = releaseOn(releases, day);
      if (!release) {
        answer.appendChild(text("p", "Ingen fastställd version av handboken gällde " + day + "."));
        return;
      }
      var p = text("p", "Den " + day + " gällde ");
      p.appendChild(link("version " + release.version, new URL("../" + release.version + "/", base).href));
      p.appendChild(document.createTextNode(", fastställd av " + release.organ + " " + release.date +
        " (" + release.reference + "), i kraft " + release.period + "."));
      answer.appendChild(p);
      if (!id) { return; }
      var found = routineOn(releases, day, id);
      if (!found) {
        answer.appendChild(text("p", "Rutinen gällde inte den dagen."));
        return;
      }
      var entry = found.entry;
      var q = text("p", "");
      if (entry.status === "upphävd") {
        q.textContent = entry.title + " var upphävd enligt version " + found.release.version + ".";
      } else {
        q.appendChild(link(entry.title + ", version " + entry.version,
          new URL("../" + found.release.version + "/" + entry.url, base).href));
        q.appendChild(document.createTextNode(" gällde, rutinägare " + entry.owner +
          " (enligt handbokens version " + found.release.version + ")."));
      }
      answer.appendChild(q);
    });
  }

  function start() { fillBanner(); pointInTime(); }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();
