"""Helpers of the browser tests: build, serve and visit the handbook.

``StaticServer`` serves a built site from a thread (like any web host) and
``Nginx`` runs Debian's nginx with the repository's configuration
(``deploy/nginx/rutinhandboken.conf``, only ``listen`` and ``root`` replaced).
``Browsing`` is one Chromium context against one server; ``visit`` loads a
page and records what the tests assert on (requests, console errors, CSP
violations, the rendered process maps, axe-core's findings) in a ``Visit``.
"""

from __future__ import annotations

import functools
import getpass
import http.server
import os
import re
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
NGINX_CONF = REPO / "deploy" / "nginx" / "rutinhandboken.conf"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MISSING_PAGE = "finns-inte/alls/"  # any unknown path: the host answers with the site's 404 page

# Material renders each diagram into a closed shadow root; open it so the
# tests (and axe) can look at the SVG. Nothing else changes.
OPEN_SHADOW_ROOTS = """
(() => {
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    return attach.call(this, Object.assign({}, init, { mode: "open" }));
  };
})();
"""

# Content-Security-Policy violations as the page sees them.
RECORD_CSP_VIOLATIONS = """
(() => {
  window.__cspViolations = [];
  document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push({
      directive: event.effectiveDirective, blocked: event.blockedURI,
      source: event.sourceFile, line: event.lineNumber, sample: event.sample,
    });
  });
})();
"""

# What the tests need to know about each rendered process map on a page.
DIAGRAM_STATE = """
() => [...document.querySelectorAll("div.mermaid")].map((host) => {
  const svg = host.shadowRoot ? host.shadowRoot.querySelector("svg") : null;
  const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
  const style = getComputedStyle(host);
  const figure = host.closest("figure");
  const details = figure ? figure.nextElementSibling : null;
  const textVersion = details && details.matches("details.handbok-processtext-ruta") ? details : null;
  return {
    svg: Boolean(svg),
    width: box.width,
    height: box.height,
    shown: style.display !== "none" && style.visibility !== "hidden",
    text: svg ? svg.textContent : "",
    labels: svg ? [...svg.querySelectorAll(".nodeLabel")].map((n) => n.textContent.trim()).filter(Boolean) : [],
    edgeLabels: svg ? [...svg.querySelectorAll(".edgeLabel")].map((n) => n.textContent.trim()).filter(Boolean) : [],
    clusterLabels: svg ? [...svg.querySelectorAll(".cluster-label")].map((n) => n.textContent.trim()).filter(Boolean) : [],
    // Where the map's clickable steps lead, as the browser resolves them.
    links: svg ? [...svg.querySelectorAll("a")].map((a) => a.getAttribute("href") || a.getAttribute("xlink:href"))
      .filter(Boolean).map((href) => new URL(href, document.baseURI).href) : [],
    title: svg && svg.querySelector("title") ? svg.querySelector("title").textContent : "",
    textVersion: textVersion ? {
      summary: textVersion.querySelector("summary").textContent.trim(),
      steps: textVersion.querySelectorAll("ol.handbok-processtext > li").length,
      text: textVersion.textContent,
    } : null,
  };
})
"""


# -- the site ---------------------------------------------------------------------


def build_site(config_file: Path, site_dir: Path) -> Path:
    """Build a project with MkDocs' own API, strictly, like ``make build``."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(config_file), site_dir=str(site_dir), strict=True)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return site_dir


def page_urls(site_dir: Path) -> list[str]:
    """Every HTML page of a built site, as a URL path relative to the root."""
    urls = []
    for path in sorted(site_dir.rglob("*.html")):
        relative = path.relative_to(site_dir).as_posix()
        urls.append(relative[: -len("index.html")] if relative.endswith("index.html") else relative)
    return urls


# -- servers ----------------------------------------------------------------------


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files; an unknown path gets the site's 404 page, as on a real host."""

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def send_error(self, code, message=None, explain=None):
        not_found = Path(self.directory) / "404.html"
        if code != 404 or not not_found.is_file():
            return super().send_error(code, message, explain)
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class StaticServer:
    def __init__(self, directory: Path):
        self.directory = Path(directory)
        handler = functools.partial(_Handler, directory=str(directory))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def nginx_server_block(root: Path, port: int) -> str:
    """The repository's server block, listening on 127.0.0.1:port and serving root."""
    text = NGINX_CONF.read_text(encoding="utf-8")
    text, listens = re.subn(r"(?m)^(\s*)listen\s+[^;]+;", rf"\g<1>listen 127.0.0.1:{port};", text)
    text, roots = re.subn(r"(?m)^(\s*)root\s+[^;]+;", lambda m: f"{m.group(1)}root {root};", text)
    if (listens, roots) != (1, 1):
        raise AssertionError(f"{NGINX_CONF} ska ha exakt en listen- och en root-rad (har {listens} och {roots})")
    return text


class Nginx:
    """Debian's nginx running the repository's configuration as an ordinary process."""

    def __init__(self, executable: str, root: Path, workdir: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        workdir.mkdir(parents=True, exist_ok=True)
        (workdir / "site.conf").write_text(nginx_server_block(root, self.port), encoding="utf-8")
        temp = {}
        for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            temp[name] = workdir / name
            temp[name].mkdir(exist_ok=True)
        # As root, nginx's workers would run as "nobody", who cannot read pytest's 0700 tmp dirs.
        user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
        self.error_log = workdir / "error.log"
        (workdir / "nginx.conf").write_text(f"""
{user}
worker_processes 1;
daemon off;
pid {workdir}/nginx.pid;
error_log {self.error_log} warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {temp['body']};
    proxy_temp_path {temp['proxy']};
    fastcgi_temp_path {temp['fastcgi']};
    uwsgi_temp_path {temp['uwsgi']};
    scgi_temp_path {temp['scgi']};
    include {workdir}/site.conf;
}}
""", encoding="utf-8")
        self.process = subprocess.Popen(
            [executable, "-p", str(workdir), "-c", str(workdir / "nginx.conf"), "-e", str(self.error_log)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self._wait_until_listening()

    def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                output = self.process.stdout.read().decode(errors="replace")
                raise RuntimeError(f"nginx startade inte:\n{output}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        self.close()
        raise RuntimeError("nginx svarade inte inom 10 s")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# -- the browser ------------------------------------------------------------------


@dataclass
class Visit:
    """What one page load showed."""

    url: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    csp_violations: list[dict] = field(default_factory=list)
    diagrams_expected: int = 0
    diagrams_settled: bool = True
    diagrams: list[dict] = field(default_factory=list)
    axe_violations: list[dict] = field(default_factory=list)
    routine_parts: list[dict] = field(default_factory=list)


class Browsing:
    """One browser context and page against one server, recording every request."""

    def __init__(self, browser, base_url: str, *, axe: str | None = None):
        self.base_url = base_url
        self.origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
        self.context.add_init_script(OPEN_SHADOW_ROOTS)
        self.context.add_init_script(RECORD_CSP_VIOLATIONS)
        if axe:
            self.context.add_init_script(axe)
        self.all_requests: list[str] = []
        self.dialogs: list[str] = []
        self.current: Visit | None = None
        self.page = self.new_page()

    def new_page(self):
        page = self.context.new_page()
        page.on("request", self._on_request)
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)
        page.on("dialog", self._on_dialog)
        return page

    def _on_request(self, request) -> None:
        self.all_requests.append(request.url)
        if self.current is not None:
            self.current.requests.append(request.url)

    def _on_console(self, message) -> None:
        if self.current is None:
            return
        text = message.text
        if "Content Security Policy" in text:
            self.current.csp_violations.append({"console": text})
        if message.type == "error":
            location = (message.location or {}).get("url", "")
            self.current.console_errors.append(f"{text} ({location})" if location else text)

    def _on_page_error(self, error) -> None:
        if self.current is not None:
            self.current.page_errors.append(str(error))

    def _on_dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def is_own(self, url: str) -> bool:
        # data: and blob: URLs never leave the browser.
        return url.startswith((self.origin + "/", "data:", "blob:")) or url == self.origin

    def external_requests(self, requests: list[str] | None = None) -> list[str]:
        return [url for url in (self.all_requests if requests is None else requests) if not self.is_own(url)]

    def start(self, url: str) -> Visit:
        """Begin recording a new visit (for tests that drive the page themselves)."""
        self.current = Visit(url)
        return self.current

    def visit(self, url: str, *, axe: bool = False, page=None) -> Visit:
        page = page or self.page
        visit = self.start(url)
        response = page.goto(self.base_url + url, wait_until="load")
        visit.status = response.status if response else None
        visit.headers = response.headers if response else {}
        self.settle_diagrams(page, visit)
        visit.routine_parts = page.evaluate(ROUTINE_PARTS)
        if axe:
            result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_TAGS)
            visit.axe_violations = result["violations"]
        visit.csp_violations += page.evaluate("() => window.__cspViolations || []")
        return visit

    @staticmethod
    def settle_diagrams(page, visit: Visit, timeout: float = 15_000) -> None:
        """Wait until Material has rendered every process map (or given up), and record them."""
        visit.diagrams_expected = page.locator("pre.mermaid").count() + page.locator("div.mermaid").count()
        if visit.diagrams_expected:
            try:
                page.wait_for_function(
                    "() => !document.querySelector('pre.mermaid') && [...document.querySelectorAll('div.mermaid')]"
                    ".every((host) => host.shadowRoot && host.shadowRoot.querySelector('svg'))",
                    timeout=timeout)
            except Exception:  # noqa: BLE001 - a map that never renders is a finding the tests report
                visit.diagrams_settled = False
        visit.diagrams = page.evaluate(DIAGRAM_STATE)

    def close(self) -> None:
        self.context.close()


def diagram_problems(visit: Visit) -> list[str]:
    """Why the process maps of a visited page did not render, if they did not."""
    problems = []
    if not visit.diagrams_settled:
        problems.append("minst en processkarta ritades inte (pre.mermaid finns kvar)")
    if len(visit.diagrams) != visit.diagrams_expected:
        problems.append(f"{visit.diagrams_expected} processkartor i sidan, {len(visit.diagrams)} ritade")
    for number, diagram in enumerate(visit.diagrams, 1):
        if not diagram["svg"]:
            problems.append(f"karta {number}: ingen SVG")
        elif not (diagram["shown"] and diagram["width"] > 0 and diagram["height"] > 0):
            problems.append(f"karta {number}: osynlig ({diagram['width']}×{diagram['height']})")
        if re.search(r"syntax error|parse error|error in text", diagram["text"], re.IGNORECASE):
            problems.append(f"karta {number}: Mermaid visar ett fel: {diagram['text'][:80]!r}")
    problems += [f"sidfel: {error}" for error in visit.page_errors]
    return problems


# -- page parts -------------------------------------------------------------------

# The metadata box and banners of a routine page, as the reader sees them.
ROUTINE_PARTS = """
() => [...document.querySelectorAll("section.handbok-metadata, .handbok-banner")].map((el) => ({
  kind: el.matches("section.handbok-metadata") ? "metadata" : "banner",
  classes: el.className,
  hidden: el.hasAttribute("hidden"),
  visible: el.checkVisibility(),
  height: el.getBoundingClientRect().height,
  text: el.textContent.replace(/\\s+/g, " ").trim(),
}))
"""

SEARCH_INPUT = "input.md-search__input"
SEARCH_META = ".md-search-result__meta"

# Each result group (a page), as Material shows it.
SEARCH_RESULTS = """
() => [...document.querySelectorAll(".md-search-result__item")].map((item) => {
  const link = item.querySelector("a.md-search-result__link");
  const title = item.querySelector("article h1, article h2");
  const first = item.querySelector("article");
  return {
    href: link ? link.origin + link.pathname : "",
    title: title ? title.textContent.trim() : "",
    marks: title ? [...title.querySelectorAll("mark")].map((m) => m.textContent) : [],
    elements: [...item.querySelectorAll("script, img, iframe, object")].map((el) => el.outerHTML),
    tags: first ? [...first.querySelectorAll(".md-tag")].map((t) => t.textContent.trim()) : [],
    excerpt: first ? [...first.querySelectorAll("p")].map((p) => p.textContent).join(" ") : "",
  };
})
"""


def search(page, query: str) -> list[dict]:
    """Run one query in Material's search box and return the result groups.

    The value is filled in and a single key release sent, so exactly one query
    reaches the search worker (typing sends one per letter).
    """
    box = page.locator(SEARCH_INPUT)
    if not box.is_visible():
        page.locator("label.md-header__button[for='__search']").click()
    box.fill("")
    box.press("End")
    page.wait_for_function(f"() => !/sökresultat/.test(document.querySelector('{SEARCH_META}').textContent)")
    box.fill(query)
    box.press("End")
    page.wait_for_function(f"() => /sökresultat/.test(document.querySelector('{SEARCH_META}').textContent)",
                           timeout=15_000)
    return page.evaluate(SEARCH_RESULTS)
