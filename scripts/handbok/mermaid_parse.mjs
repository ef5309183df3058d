// Parse process maps with Mermaid's own parser, all in one Node process.
//
// Usage: node mermaid_parse.mjs INPUT.json
// INPUT: {"mermaid": "<path to mermaid.min.js>", "node_modules": "<dir with linkedom>",
//         "diagrams": {"name.mmd": "source", ...}}
// Output (stdout): {"version": "11.x", "results": {"name.mmd": {"ok": true} |
//   {"ok": false, "line": 3, "column": 5, "token": "LINK", "expected": [...], "message": "..."}}}
//
// Mermaid's UMD build is the one the site serves, so a map that passes here
// renders in the reader's browser. Mermaid sanitises labels with DOMPurify,
// which needs a DOM: linkedom provides a small one. Nothing is rendered.
import fs from "node:fs";
import vm from "node:vm";
import { createRequire } from "node:module";
import path from "node:path";

const input = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const require = createRequire(path.join(input.node_modules, "noop.js"));
const { parseHTML } = require("linkedom");
const dom = parseHTML("<!doctype html><html><head></head><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.document;
for (const key of ["Element", "HTMLElement", "Node", "DocumentFragment", "DOMParser"]) {
  if (!(key in globalThis) && dom[key]) globalThis[key] = dom[key];
}
// Mermaid logs parse errors itself; the caller reports them in Swedish.
const quiet = () => {};
console.error = quiet;
console.warn = quiet;
console.info = quiet;
console.debug = quiet;

vm.runInThisContext(fs.readFileSync(input.mermaid, "utf8"), { filename: "mermaid.min.js" });
const mermaid = globalThis.mermaid;
mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });

const results = {};
for (const [name, source] of Object.entries(input.diagrams)) {
  try {
    await mermaid.parse(source);
    results[name] = { ok: true };
  } catch (error) {
    const hash = error && error.hash;
    const result = { ok: false, message: String((error && error.message) || error) };
    if (hash) {
      result.line = hash.loc ? hash.loc.first_line : (hash.line || 0) + 1;
      result.column = hash.loc ? hash.loc.first_column + 1 : 1;
      result.token = hash.token;
      result.text = hash.text;
      result.expected = (hash.expected || []).map((item) => String(item).replace(/'/g, ""));
    }
    results[name] = result;
  }
}
process.stdout.write(JSON.stringify({ version: mermaid.version || "", results }));
