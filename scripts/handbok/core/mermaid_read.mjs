// Read process maps with Mermaid itself, all in one Node process.
//
// Usage: node mermaid_read.mjs INPUT.json
// INPUT:  {"mermaid": "<path to mermaid.min.js>", "node_modules": "<dir with linkedom>",
//          "diagrams": {"name.mmd": "source", ...}}
// OUTPUT (stdout): {"version": "11.x", "results": {"name.mmd": RESULT, ...}}
//
// RESULT is what Mermaid understood of the map, or why it could not:
//   {"ok": true, "type": "flowchart-v2", "size": 812, "limits": {...}, "config": {...},
//    "denied": ["securityLevel"], "flowchart": {direction, accTitle, accDescr,
//    vertices, edges, subgraphs, classes, clicks, styles}}        (type "sequence" etc.: no flowchart)
//   {"ok": false, "line": 3, "column": 5, "token": "LINK", "expected": [...], "message": "...",
//    "limit": "maxTextSize" | "maxEdges" | undefined, "size": 60000, "max": 50000}
// Lines are the lines of the file as given (front matter and directives included).
//
// Mermaid's UMD build is the one the site serves, so a map that passes here
// renders in the reader's browser, and what is read here is what it draws.
// Mermaid sanitises labels with DOMPurify, which needs a DOM: linkedom gives
// a small one. Nothing is rendered. The flowchart database is Mermaid's own
// (FlowDB): after the parse its vertices, edges and subgraphs are read as
// they are. Only two things are observed from outside, because Mermaid keeps
// no record of them: the line of each statement (from the parser's lexer) and
// the secure settings a map tried to change (Mermaid deletes them and says so
// in its debug log: "Denied attempt to modify a secure key").
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

// Mermaid's log goes to the console. Parse errors are reported by the caller in
// Swedish; the one message kept is Mermaid refusing to change a secure setting.
const SECURE = /^Denied attempt to modify a secure key (\S+)/;
let denied = [];
const listen = (...args) => {
  for (const arg of args) {
    const match = typeof arg === "string" ? SECURE.exec(arg) : null;
    if (match && !denied.includes(match[1])) denied.push(match[1]);
  }
};
console.error = listen;
console.warn = listen;
console.info = listen;
console.debug = listen;
console.log = listen;

vm.runInThisContext(fs.readFileSync(input.mermaid, "utf8"), { filename: "mermaid.min.js" });
const mermaid = globalThis.mermaid;
// As on the site (mkdocs.yml: mermaid2 arguments); the debug level makes Mermaid
// report the secure keys it refuses (see above).
mermaid.initialize({ startOnLoad: false, securityLevel: "strict", logLevel: "debug" });
const siteConfig = mermaid.mermaidAPI.getSiteConfig();
const LIMITS = { maxTextSize: siteConfig.maxTextSize ?? 50000, maxEdges: siteConfig.maxEdges ?? 500 };

// --- hooks on Mermaid's flowchart parser and database --------------------------------

// One flowchart first, to reach the database class and the parser.
const warm = await mermaid.mermaidAPI.getDiagramFromText("flowchart TD\n  a");
const FlowDB = Object.getPrototypeOf(warm.db);
const flowParser = warm.parser;
const jison = flowParser.parser;

class TooLarge extends Error {}

let lexer = null; // the lexer of the parse under way (jison makes one per parse)
let current = null; // what is recorded about the map being read
const setInput = jison.lexer.setInput;
jison.lexer.setInput = function (...args) {
  lexer = this;
  return setInput.apply(this, args);
};
const lexerLine = () => (lexer && lexer.yylloc ? lexer.yylloc.first_line : 0) || (lexer ? lexer.yylineno + 1 : 0);

// The parser gets the code after Mermaid's preprocessing (front matter, directives
// and comments removed, entities encoded). Its length is what the browser compares
// with maxTextSize, and how many lines were removed from the top gives the offset.
const parse = flowParser.parse;
flowParser.parse = function (src) {
  if (current) {
    const code = src.slice(0, -1).replace(/ﬂ°°/g, "#").replace(/ﬂ°/g, "#").replace(/¶ß/g, ";");
    current.size = code.length;
    // Lines removed from the top before the parser saw the code (front matter, directives).
    current.offset = current.lines - (src.split("\n").length - 1);
    current.mapLine = collapsedLines(src);
    if (code.length > LIMITS.maxTextSize) throw new TooLarge();
  }
  return parse.call(this, src);
};

// Mermaid's flowchart parser replaces /}\s*\n/ by "}\n" before parsing, which drops
// blank lines after a line ending in "}"; lines after them are shifted back here.
function collapsedLines(src) {
  const removals = [];
  let line = 1;
  let last = 0;
  let removed = 0;
  for (const match of src.matchAll(/}\s*\n/g)) {
    line += countNewlines(src, last, match.index);
    last = match.index;
    const extra = countNewlines(match[0], 0, match[0].length) - 1;
    if (extra > 0) {
      removals.push([line - removed, extra]);
      removed += extra;
    }
  }
  return (parsed) => {
    let add = 0;
    for (const [at, count] of removals) if (parsed > at) add += count;
    return parsed + add;
  };
}

function countNewlines(text, from, to) {
  let count = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 10) count++;
  return count;
}

function fileLine(parsedLine) {
  if (!current || !parsedLine) return 0;
  const line = current.mapLine ? current.mapLine(parsedLine) : parsedLine;
  return line + (current.offset || 0);
}

const lines = new WeakMap(); // vertex/edge/subgraph object -> line in the file

function hook(name, around) {
  const original = FlowDB[name];
  FlowDB[name] = function (...args) {
    return around.call(this, original, args);
  };
}

hook("clear", function (original, args) {
  if (current) current.db = this;
  return original.apply(this, args);
});
hook("addVertex", function (original, args) {
  const [id, textObj, , style, , , , metadata] = args;
  const line = fileLine(lexerLine());
  const isNew = typeof id === "string" && !this.vertices.has(id) && !this.edges.some((e) => e.id === id);
  const result = original.apply(this, args);
  const vertex = this.vertices.get(id);
  if (vertex && current) {
    if (isNew || !lines.has(vertex)) lines.set(vertex, { line });
    const place = lines.get(vertex);
    if (textObj !== undefined || (metadata && /\blabel\s*:/.test(metadata))) place.labelLine = line;
    if (metadata && /\bimg\s*:/.test(metadata)) place.imgLine = line;
    if (style) current.styles.push({ line, kind: "style", target: id, styles: [...style] });
  }
  return result;
});
hook("addSingleLink", function (original, args) {
  const before = this.edges.length;
  const result = original.apply(this, args);
  if (this.edges.length > before) lines.set(this.edges[this.edges.length - 1], { line: fileLine(lexerLine()) });
  return result;
});
hook("addSubGraph", function (original, args) {
  const result = original.apply(this, args);
  const subGraph = this.subGraphs[this.subGraphs.length - 1];
  if (subGraph) lines.set(subGraph, { line: fileLine(lexerLine()) });
  return result;
});
hook("setLink", function (original, args) {
  const [ids, link, target] = args;
  if (current) current.clicks.push({ line: fileLine(lexerLine()), ids: String(ids).split(","), action: "href",
                                     value: String(link), target: target || null, tooltip: null });
  return original.apply(this, args);
});
hook("setClickEvent", function (original, args) {
  const [ids, functionName, functionArgs] = args;
  if (current) current.clicks.push({ line: fileLine(lexerLine()), ids: String(ids).split(","), action: "call",
                                     value: String(functionName), target: functionArgs ?? null, tooltip: null });
  return original.apply(this, args);
});
hook("setTooltip", function (original, args) {
  const [ids, tooltip] = args;
  if (current) {
    const click = current.clicks[current.clicks.length - 1];
    if (click && click.ids.join(",") === String(ids)) click.tooltip = decode(String(tooltip ?? ""));
  }
  return original.apply(this, args);
});
hook("addClass", function (original, args) {
  const [ids, style] = args;
  if (current) current.styles.push({ line: fileLine(lexerLine()), kind: "classDef", target: String(ids), styles: [...(style || [])] });
  return original.apply(this, args);
});
hook("updateLink", function (original, args) {
  const [positions, style] = args;
  if (current) current.styles.push({ line: fileLine(lexerLine()), kind: "linkStyle", target: positions.join(","), styles: [...(style || [])] });
  return original.apply(this, args);
});

// --- reading one map --------------------------------------------------------------------

// Mermaid encodes entities (#quot; #35;) before parsing and decodes them when drawing.
const decode = (text) => String(text ?? "").replace(/ﬂ°°/g, "&#").replace(/ﬂ°/g, "&").replace(/¶ß/g, ";");

// Only what differs from the defaults is kept: the record is cached for every map.
function compact(record) {
  for (const [key, value] of Object.entries(record)) {
    if (value === null || value === undefined || value === 0 || value === "" || (Array.isArray(value) && !value.length)) {
      delete record[key];
    }
  }
  return record;
}

function flowchartOf(db) {
  const vertices = [...db.getVertices().values()].map((v) => {
    const place = lines.get(v) || {};
    const line = place.line || 0;
    const labelLine = place.labelLine || line;
    return compact({
      id: v.id, text: decode(v.text), labelType: v.labelType === "text" ? null : v.labelType, type: v.type ?? null,
      img: v.img ?? null, icon: v.icon ?? null, link: v.link ?? null, linkTarget: v.linkTarget ?? null,
      classes: v.classes.filter((c) => c !== "clickable"), styles: [...v.styles],
      line, labelLine: labelLine === line ? 0 : labelLine, imgLine: place.imgLine || 0,
    });
  });
  const edges = db.getEdges().map((e) => compact({
    id: e.isUserDefinedId ? e.id : null, start: e.start, end: e.end,
    type: (e.type ?? "arrow_point") === "arrow_point" ? null : e.type,
    stroke: (e.stroke ?? "normal") === "normal" ? null : e.stroke, length: e.length === 1 ? null : e.length,
    text: decode(e.text), labelType: e.labelType === "text" ? null : e.labelType,
    line: (lines.get(e) || {}).line || 0,
  }));
  const subgraphs = db.getSubGraphs().map((s) => compact({
    id: s.id, title: decode(s.title), labelType: s.labelType === "text" ? null : s.labelType, nodes: [...s.nodes],
    dir: s.dir ?? null, line: (lines.get(s) || {}).line || 0,
  }));
  const classes = [...db.getClasses().values()].map((c) => ({ id: c.id, styles: [...c.styles] }));
  return {
    direction: db.getDirection() ?? "TB",
    accTitle: decode(db.getAccTitle?.() ?? ""),
    accDescr: decode(db.getAccDescription?.() ?? ""),
    vertices, edges, subgraphs, classes, clicks: current.clicks, styles: current.styles,
  };
}

function errorResult(error) {
  const hash = error && error.hash;
  const result = { ok: false, message: String((error && error.message) || error) };
  if (hash) {
    const parsedLine = hash.loc ? hash.loc.first_line : (hash.line || 0) + 1;
    result.line = fileLine(parsedLine) || parsedLine;
    result.column = hash.loc ? hash.loc.first_column + 1 : 1;
    result.token = hash.token;
    result.text = hash.text;
    result.expected = (hash.expected || []).map((item) => String(item).replace(/'/g, ""));
  } else if (current && current.db) {
    // Thrown by Mermaid's database (an unknown shape, the edge limit): where the parser was.
    result.line = fileLine(lexerLine()) || 0;
    result.column = 1;
  }
  if (result.message.startsWith("Edge limit exceeded")) {
    Object.assign(result, { limit: "maxEdges", max: LIMITS.maxEdges, size: LIMITS.maxEdges + 1 });
  }
  return result;
}

async function read(text) {
  current = { offset: 0, lines: text.split("\n").length, clicks: [], styles: [], db: null, size: text.length };
  denied = [];
  lexer = null;
  let parsed;
  try {
    parsed = await mermaid.parse(text);
  } catch (error) {
    if (error instanceof TooLarge) {
      return { ok: false, limit: "maxTextSize", size: current.size, max: LIMITS.maxTextSize, line: 1, column: 1,
               message: "Maximum text size in diagram exceeded" };
    }
    return errorResult(error);
  }
  const result = { ok: true, type: parsed.diagramType, size: current.size, limits: LIMITS,
                   config: parsed.config ?? {}, denied: [...denied] };
  if (current.db && parsed.diagramType.startsWith("flowchart")) result.flowchart = flowchartOf(current.db);
  return result;
}

const results = {};
for (const [name, source] of Object.entries(input.diagrams)) {
  try {
    results[name] = await read(source);
  } catch (error) {
    results[name] = { ok: false, message: String((error && error.message) || error), line: 1, column: 1 };
  }
  current = null;
}
process.stdout.write(JSON.stringify({ version: mermaid.version || "", results }));
