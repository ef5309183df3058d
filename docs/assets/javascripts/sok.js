// Rutinhandboken: Swedish search that finds inflected forms.
//
// Material's search (lunr, lang: sv) matches every query word as a prefix:
// "uppföljning" becomes "uppföljning*" and finds "uppföljningen", but
// "uppföljningen*" does not find a page that only says "uppföljning".
// Turning on lunr's stemmer does not help: Material appends the wildcard, and
// lunr does not stem wildcard terms, so whole words stop matching the stemmed
// index. Material 9.8 has no hook for the query (its transform runs inside the
// search worker), so this file reduces each Swedish query word to its stem
// before the query is posted to the worker: "uppföljningen" → "uppföljning",
// "lönestödet" → "lönestöd", "insatserna" → "insats". Material then appends
// the wildcard as usual, so the stem matches every inflected form in the
// (unstemmed) index. It must load before Material's bundle creates the worker.
(function (root) {
  "use strict";

  // Inflectional endings of Swedish nouns, adjectives and verbs, longest first.
  // Stripping too much only widens a prefix search a little; stripping too
  // little loses pages, so derivational endings (-ning, -het) are kept.
  var ENDINGS = [
    "arnas", "ernas", "ornas",
    "arna", "erna", "orna", "ande", "ende", "aste", "ades",
    "ens", "ets", "ars", "ers", "ors", "are", "ade", "ast", "nas",
    "ar", "er", "or", "en", "et", "ad", "at", "na", "as", "es", "de", "te",
    "a", "e", "t", "n"
  ];
  var VOWEL = /[aeiouyåäö]$/;
  var WORD = /^\p{L}+$/u;
  var MIN_STEM = 3;            // letters left after a longer ending
  var MIN_STEM_SHORT = 4;      // letters left after a one-letter ending
  var PASSES = 2;              // "skolan" → "skola" → "skol"
  var QUERY_MESSAGE = 2;       // SearchMessageType.QUERY in Material 9.8

  function stripOnce(word) {
    for (var i = 0; i < ENDINGS.length; i++) {
      var ending = ENDINGS[i];
      if (word.length <= ending.length || word.slice(-ending.length) !== ending) continue;
      var rest = word.slice(0, -ending.length);
      if (rest.length < (ending.length === 1 ? MIN_STEM_SHORT : MIN_STEM)) continue;
      // "-n" is the definite ending only after a vowel (skolan); "lön", "plan" keep theirs.
      if (ending === "n" && !VOWEL.test(rest)) continue;
      return rest;
    }
    return word;
  }

  // The stem of one word, lower case; anything but letters is left as it is.
  function stem(word) {
    var result = String(word).normalize("NFC").toLowerCase();
    if (!WORD.test(result)) return result;
    for (var pass = 0; pass < PASSES; pass++) {
      var next = stripOnce(result);
      if (next === result) break;
      result = next;
    }
    return result;
  }

  // A typed query with every plain word reduced to its stem. Words with
  // lunr syntax (field:, ~, ^, *) are left alone. A word Material will not
  // give a wildcard (+word, -word, words in quotes) gets one here, so it too
  // matches every form.
  function transform(query) {
    var inQuotes = false;
    return String(query).normalize("NFC").split(/("|\s+)/).map(function (part) {
      if (part === '"') {
        inQuotes = !inQuotes;
        return part;
      }
      if (!part || /^\s+$/.test(part)) return part;
      var match = /^([+-]?)(\p{L}+)$/u.exec(part);
      if (!match) return part;
      var modifier = match[1];
      var word = stem(match[2]);
      return modifier || inQuotes ? modifier + word + "*" : word;
    }).join("");
  }

  // Posts the stemmed query to Material's search worker (and nothing else).
  function installWorkerHook(win) {
    var Native = win.Worker;
    if (typeof Native !== "function" || typeof Proxy !== "function") return;

    function searchWorkerUrl() {
      var element = win.document.getElementById("__config");
      if (!element) return null;
      try {
        return new URL(JSON.parse(element.textContent).search, win.location.href).href;
      } catch (error) {
        return null;
      }
    }

    win.Worker = new Proxy(Native, {
      construct: function (target, args, newTarget) {
        var worker = Reflect.construct(target, args, newTarget);
        var url = searchWorkerUrl();
        if (url && new URL(String(args[0]), win.location.href).href === url) {
          var post = worker.postMessage;
          worker.postMessage = function (message) {
            if (message && message.type === QUERY_MESSAGE && typeof message.data === "string") {
              message = { type: message.type, data: transform(message.data) };
            }
            return post.apply(worker, [message].concat(Array.prototype.slice.call(arguments, 1)));
          };
        }
        return worker;
      }
    });
  }

  var api = { stem: stem, transform: transform };
  if (typeof module === "object" && module.exports) {
    module.exports = api;  // unit tests run this file in Node
  } else {
    root.handbokSok = api;
    installWorkerHook(root);
  }
})(this);
