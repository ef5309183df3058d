"""``make bench``: build synthetic handbooks and measure them, in one run.

For each size (100 and 1000 routines by default) the harness generates a
handbook (``bench/generate.py``) and measures, with several repetitions and
the median:

* ``handbok check`` (the CLI, as an editor runs it);
* a full ``mkdocs build`` of our site (the repository's current mkdocs.yml,
  overrides and plugins), the same handbook without process maps, and a plain
  Material build of the same Markdown with a flat navigation list (no handbok
  plugin, no mermaid2) as the baseline;
* the options measured for the targets (see ``OPTIONS``);
* page HTML size, total site size, search index size, and the bytes a browser
  loads for a routine page with and without a map (HTML + CSS + JS + fonts,
  computed from the built files);
* live reload: ``mkdocs serve`` on a free port on 127.0.0.1, one routine is
  edited, and the time until the rebuilt page is served with the change.

Results go to ``bench/resultat.json`` and ``bench/RESULTAT.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from importlib import metadata
from pathlib import Path

from ruamel.yaml import YAML

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
# The code measured: mkdocs.yml, overrides/, docs/assets/ and scripts/ of this tree
# (the repository itself unless --kod names a snapshot of it).
CODE = REPO
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402
import report  # noqa: E402
import transfer  # noqa: E402

VENV_BIN = Path(sys.executable).parent
TODAY = "2026-06-01"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}
VERSIONS = ["mkdocs", "mkdocs-material", "mkdocs-mermaid2-plugin", "pymdown-extensions", "Markdown", "Jinja2",
            "beautifulsoup4", "mkdocstrings", "pydantic", "ruamel.yaml", "PyYAML", "click"]


# --- projects ---------------------------------------------------------------------------


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.width = 4096
    return yaml


def repo_config() -> dict:
    with (CODE / "mkdocs.yml").open(encoding="utf-8") as stream:
        return _yaml().load(stream)


def _plugin_names(config: dict) -> list[str]:
    return [next(iter(p)) if isinstance(p, dict) else p for p in config.get("plugins", [])]


def _set_plugin_option(config: dict, name: str, key: str, value) -> None:
    plugins = config["plugins"]
    for index, entry in enumerate(plugins):
        entry_name = next(iter(entry)) if isinstance(entry, dict) else entry
        if entry_name == name:
            if not isinstance(entry, dict):
                plugins[index] = entry = {name: {}}
            if entry[name] is None:
                entry[name] = {}
            entry[name][key] = value
            return
    raise KeyError(name)


def _drop_plugin(config: dict, name: str) -> None:
    config["plugins"] = [p for p in config["plugins"] if (next(iter(p)) if isinstance(p, dict) else p) != name]


def _existing_nav(items: list, exists, section: str) -> list:
    """The repository's nav without entries for pages the benchmark project does not have
    (the editor guide's hand-written pages); generated pages and the routines stay."""
    kept = []
    for item in items:
        title, value = next(iter(item.items())) if isinstance(item, dict) else (None, item)
        if title == section:
            kept.append(item)
        elif isinstance(value, list):
            children = _existing_nav(value, exists, section)
            if children:
                kept.append({title: children})
        elif isinstance(value, str) and exists(value):
            kept.append(item)
    return kept


def ours_config(option: str | None = None) -> dict:
    """Our site's mkdocs.yml as it is in the repository, with the benchmark's nav and date."""
    from handbok.core.generated import PAGES

    config = repo_config()
    section = "Rutiner"
    for entry in config.get("plugins", []):
        if isinstance(entry, dict) and "handbok" in entry and entry["handbok"]:
            section = entry["handbok"].get("nav_section", section)
    config["nav"] = _existing_nav(config.get("nav") or [], lambda uri: uri == "index.md" or uri in PAGES,
                                  section)
    config["site_dir"] = "site"
    _set_plugin_option(config, "handbok", "today", TODAY)
    if option:
        OPTIONS[option]["apply"](config)
    return config


def baseline_config(routines: list[tuple[str, str]]) -> dict:
    """Plain Material, flat navigation list, no handbok plugin, no mermaid2."""
    return {
        "site_name": "Rutinhandboken",
        "site_url": "https://rutiner.kommunen.se/",
        "docs_dir": "docs",
        "site_dir": "site",
        "theme": {"name": "material", "language": "sv", "font": False},
        "plugins": [{"search": {"lang": "sv"}}],
        "markdown_extensions": ["abbr", "admonition", "attr_list", "md_in_html", "tables",
                                {"toc": {"permalink": True}}, "pymdownx.details", "pymdownx.superfences"],
        "nav": [{"Start": "index.md"}] + [{title: f"rutiner/{rid}.md"} for rid, title in routines],
    }


def _write_config(project: Path, config: dict) -> Path:
    path = project / "mkdocs.yml"
    with path.open("w", encoding="utf-8") as stream:
        _yaml().dump(config, stream)
    return path


START_PAGE = """# Rutinhandboken

Syntetisk handbok för prestandamätningen. Alla rutiner finns under [Rutiner](rutiner/index.md).
"""


def make_ours(project: Path, count: int, *, with_maps: bool, option: str | None = None,
              source: Path | None = None) -> Path:
    """A project like the real one: generated routines beside the repo's theme, assets and package."""
    project.mkdir(parents=True, exist_ok=True)
    if source is None:
        generate.generate(project, count, with_maps=with_maps)
    else:
        # Copies, not links: the build refuses content that links out of the handbook (RH009).
        for sub in ("routines", "diagrams"):
            shutil.copytree(source / sub, project / sub)
    (project / "overrides").symlink_to(CODE / "overrides")
    (project / "scripts").symlink_to(CODE / "scripts")
    docs = project / "docs"
    docs.mkdir()
    shutil.copytree(CODE / "docs" / "assets", docs / "assets")
    (docs / "index.md").write_text(START_PAGE, encoding="utf-8")
    _write_config(project, ours_config(option))
    return project


def generated_markdown(source: Path) -> dict[str, str]:
    """Our site's generated pages (the overview, the registers, the concepts, Kontrollkoder) as the
    handbok plugin gives their Markdown to MkDocs, made by the core from the same handbook."""
    from handbok import pages
    from handbok.core.context import BuildContext
    from handbok.core.generated import render_page
    from handbok.core.loader import load_handbook
    from handbok.model import parse_date
    from handbok.pages.markers import expand_markers
    from handbok.pages.routine import abbreviation_lines

    handbook = load_handbook(source)
    context = BuildContext(today=parse_date(TODAY))
    abbreviations = abbreviation_lines(handbook)
    return {uri: expand_markers(render_page(pages.GENERATORS[uri], handbook, uri, context), handbook, uri, context)
            + "\n\n" + abbreviations + "\n" for uri in pages.PAGES}


def make_baseline(project: Path, source: Path, *, same_pages: bool = False) -> Path:
    """The same Markdown (the routine files as editors write them) in a plain Material site; with
    ``same_pages``, also our site's other pages, the generated ones as the handbok plugin writes them
    (plain Material indexes every page whole; their links to our routine pages lead nowhere there)."""
    docs = project / "docs" / "rutiner"
    docs.mkdir(parents=True)
    routines = []
    for path in sorted((source / "routines").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        title = re.search(r"^title: (.*)$", text, re.MULTILINE).group(1)
        (docs / path.name).write_text(text, encoding="utf-8")
        routines.append((path.stem, title))
    (project / "docs" / "index.md").write_text(START_PAGE.replace("(rutiner/index.md)", f"(rutiner/{routines[0][0]}.md)"),
                                               encoding="utf-8")
    config = baseline_config(routines)
    if same_pages:
        for uri, markdown in generated_markdown(source).items():
            (project / "docs" / uri).parent.mkdir(parents=True, exist_ok=True)
            (project / "docs" / uri).write_text(markdown, encoding="utf-8")
        config["validation"] = {"links": {"not_found": "info", "anchors": "info", "unrecognized_links": "info"}}
    _write_config(project, config)
    return project


# --- options for the targets --------------------------------------------------------------


def _features(config: dict) -> list:
    return config["theme"].setdefault("features", [])


def _no_prune(config: dict) -> None:
    config["theme"]["features"] = [f for f in _features(config) if f != "navigation.prune"]


def _mermaid2_as_configured(config: dict) -> None:
    _set_plugin_option(config, "handbok", "fast_mermaid", False)


def _not_compact(config: dict) -> None:
    _set_plugin_option(config, "handbok", "compact_html", False)


def _macro_nav(config: dict) -> None:
    _set_plugin_option(config, "handbok", "fast_nav", False)


def _routines_outside_nav(config: dict) -> None:
    # The plugin fills only the nav entry named like its nav_section: with another name
    # the routine pages are built but not listed in the menu (the overview page lists them).
    _set_plugin_option(config, "handbok", "nav_section", "Rutiner (inte i menyn)")


OPTIONS: dict[str, dict] = {
    "mermaid2-som-konfigurerat": {
        "title": "mermaid2 som konfigurerat (dess on_post_page tolkar om varje sida med BeautifulSoup)",
        "apply": _mermaid2_as_configured,
        "changes": "",
    },
    "utan-prune": {
        "title": "utan navigation.prune (hela menyn på varje sida)",
        "apply": _no_prune,
        "changes": "",
    },
    "utan-kompakt-html": {
        "title": "utan handbok-pluginets hopslagning av mallarnas blanktecken (compact_html: false)",
        "apply": _not_compact,
        "changes": "",
    },
    "utan-snabb-meny": {
        "title": "varje menylänk genom Materials makro på varje sida (fast_nav: false)",
        "apply": _macro_nav,
        "changes": "",
    },
    "rutiner-utanfor-menyn": {
        "title": "rutinerna inte i sidomenyn (bara översikten Rutiner, registren och sökningen leder till dem)",
        "apply": _routines_outside_nav,
        "changes": "läsaren ser inte rutinerna i sidomenyn (menyns innehåll bestäms i navigeringsarbetet, issue 5)",
    },
}


# --- measuring ------------------------------------------------------------------------------


class Timing(tuple):
    """(wall seconds, CPU seconds of the process and its children)."""

    @property
    def wall(self) -> float:
        return self[0]

    @property
    def cpu(self) -> float:
        return self[1]


def timed(command: list[str], cwd: Path, *, check: bool = True) -> tuple[Timing, subprocess.CompletedProcess]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} i {cwd} misslyckades ({result.returncode}):\n"
                           f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return Timing((elapsed, cpu)), result


def build(project: Path) -> Timing:
    shutil.rmtree(project / "site", ignore_errors=True)
    elapsed, _ = timed([str(VENV_BIN / "mkdocs"), "build", "--strict", "-q"], project)
    return elapsed


def check(project: Path, *, cold: bool = False) -> Timing:
    """``handbok check`` as an editor runs it; ``cold`` empties the handbook's cache first."""
    if cold:
        shutil.rmtree(ENV["HANDBOK_CACHE"], ignore_errors=True)
    elapsed, result = timed([str(VENV_BIN / "handbok"), "check", "--datum", TODAY], project, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"handbok check hittade fel i den syntetiska handboken:\n{result.stdout[-3000:]}")
    return elapsed


def summary(times: list[Timing]) -> dict:
    return {"median_s": round(statistics.median(t.wall for t in times), 3),
            "median_cpu_s": round(statistics.median(t.cpu for t in times), 3),
            "runs_s": [round(t.wall, 3) for t in times], "runs_cpu_s": [round(t.cpu, 3) for t in times]}


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def routine_pages(site: Path) -> list[Path]:
    """Routine pages: rutiner/<process>/<id>/ in our site, rutiner/<id>/ in the baseline."""
    pages = sorted((site / "rutiner").glob("*/*/index.html"))
    return pages or sorted(p for p in (site / "rutiner").glob("*/index.html"))


_LINK = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_SCRIPT = re.compile(r"<script\b[^>]*\bsrc=\"([^\"]+)\"", re.IGNORECASE)
_HREF = re.compile(r"\bhref=\"([^\"]+)\"")
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
_CSS_IMPORT = re.compile(r"@import\s+['\"]([^'\"]+)['\"]")
_FONT_EXT = (".woff2", ".woff", ".ttf", ".otf", ".eot")


def _local(site: Path, base: Path, url: str) -> Path | None:
    url = url.split("#")[0].split("?")[0]
    if not url or re.match(r"^[a-z]+:", url) or url.startswith("//"):
        return None
    target = (site / url.lstrip("/")) if url.startswith("/") else (base.parent / url)
    target = target.resolve()
    return target if target.is_file() else None


def browser_bytes(site: Path, page: Path) -> dict:
    """What a browser downloads to show ``page``: the HTML, its stylesheets (with
    @import), scripts and the fonts the stylesheets reference. Search (worker and
    index, fetched by Material's search) is reported separately."""
    html = page.read_text(encoding="utf-8")
    seen: set[Path] = set()
    sizes = {"html": len(html.encode("utf-8")), "css": 0, "js": 0, "fonts": 0}
    files: list[str] = []

    def add(kind: str, path: Path | None) -> None:
        if path is None or path in seen:
            return
        seen.add(path)
        sizes[kind] += path.stat().st_size
        files.append(str(path.relative_to(site.resolve())))
        if kind == "css":
            text = path.read_text(encoding="utf-8", errors="replace")
            for ref in _CSS_IMPORT.findall(text):
                add("css", _local(site, path, ref))
            for ref in _CSS_URL.findall(text):
                if ref.lower().split("?")[0].endswith(_FONT_EXT):
                    add("fonts", _local(site, path, ref))

    for tag in _LINK.findall(html):
        if re.search(r"rel=\"?stylesheet", tag):
            href = _HREF.search(tag)
            if href:
                add("css", _local(site, page, href.group(1)))
        elif re.search(r"rel=\"?(preload|modulepreload)", tag) and re.search(r"as=\"?font", tag):
            href = _HREF.search(tag)
            if href:
                add("fonts", _local(site, page, href.group(1)))
    for src in _SCRIPT.findall(html):
        add("js", _local(site, page, src))
    sizes["total"] = sum(sizes[k] for k in ("html", "css", "js", "fonts"))
    search = 0
    match = re.search(r'"search":\s*"([^"]+)"', html)
    if match:
        worker = _local(site, page, match.group(1).replace("\\/", "/"))
        search += worker.stat().st_size if worker else 0
    index = site / "search" / "search_index.json"
    search += index.stat().st_size if index.is_file() else 0
    sizes["search"] = search
    sizes["mermaid_loaded"] = any("mermaid" in f for f in files)
    sizes["files"] = files
    return sizes


def site_figures(site: Path) -> dict:
    pages = routine_pages(site)
    sizes = sorted(p.stat().st_size for p in pages)
    index = site / "search" / "search_index.json"
    mermaid = site / "assets" / "vendor" / "mermaid"
    mermaid_pages = sum(1 for p in site.rglob("*.html") if "mermaid.min.js" in p.read_text(encoding="utf-8"))
    map_pages = sum(1 for p in site.rglob("*.html") if 'class="mermaid"' in p.read_text(encoding="utf-8"))
    return {
        "routine_pages": len(pages),
        "page_html_median_bytes": int(statistics.median(sizes)) if sizes else 0,
        "page_html_max_bytes": sizes[-1] if sizes else 0,
        "site_bytes": dir_size(site),
        "site_bytes_without_mermaid_bundle": dir_size(site) - (dir_size(mermaid) if mermaid.is_dir() else 0),
        "search_index_bytes": index.stat().st_size if index.is_file() else 0,
        "pages_loading_mermaid": mermaid_pages,
        "pages_with_map": map_pages,
    }


# --- live reload --------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, timeout: float = 30) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


SERVE = ["serve", "--dirty", "--strict"]
"""``make serve``'s command (the Makefile's serve target)."""


def editable_routine(project: Path) -> Path:
    """The middle draft: an approved routine's text cannot change without a new release (RH801)."""
    drafts = [p for p in sorted((project / "routines").glob("*.md"))
              if re.search(r"^status: utkast$", p.read_text(encoding="utf-8"), re.MULTILINE)]
    return drafts[len(drafts) // 2]


def live_reload(project: Path, edits: int, timeout: float) -> dict:
    """Start ``make serve``'s ``mkdocs serve``, edit one routine ``edits`` times, time each until served."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    routine = editable_routine(project)
    original = routine.read_text(encoding="utf-8")
    rid = routine.stem
    process = re.search(r"^process: (.*)$", original, re.MULTILINE).group(1)
    from handbok.model import slugify

    url = f"{base}rutiner/{slugify(process)}/{rid}/"
    log = (project / "serve.log").open("w")
    server = subprocess.Popen([str(VENV_BIN / "mkdocs"), *SERVE, "-a", f"127.0.0.1:{port}"],
                              cwd=project, env=ENV, stdout=log, stderr=subprocess.STDOUT)
    results: list[float] = []
    try:
        start = time.perf_counter()
        while _get(url, timeout=5) is None:
            if server.poll() is not None or time.perf_counter() - start > timeout:
                raise RuntimeError(f"mkdocs serve startade inte (se {project / 'serve.log'})")
            time.sleep(0.2)
        startup = time.perf_counter() - start
        time.sleep(1.5)  # let the watcher settle after the first build
        for number in range(edits):
            marker = f"Andring-{number}-{time.time_ns()}"
            routine.write_text(original.rstrip("\n") + f"\n\n{marker}\n", encoding="utf-8")
            t0 = time.perf_counter()
            while True:
                html = _get(url, timeout=timeout)
                if html is not None and marker in html:
                    results.append(time.perf_counter() - t0)
                    break
                if server.poll() is not None:
                    raise RuntimeError(f"mkdocs serve avslutades (se {project / 'serve.log'})")
                if time.perf_counter() - t0 > timeout:
                    raise RuntimeError(f"ändringen syntes inte inom {timeout} s (se {project / 'serve.log'})")
                time.sleep(0.05)
            time.sleep(1.0)
    finally:
        routine.write_text(original, encoding="utf-8")
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    lines = (project / "serve.log").read_text(encoding="utf-8").splitlines()
    rebuilt = [line.strip() for line in lines if "handbok: " in line and "byggs om" in line]
    watching = [line.split("handbok: ", 1)[1].strip() for line in lines if "handbok: ändringar ses" in line]
    return {"median_s": round(statistics.median(results), 3), "runs_s": [round(t, 3) for t in results],
            "first_build_s": round(startup, 3), "routine": routine.name, "log": rebuilt[-edits:],
            "watching": watching[0] if watching else None}


# --- issue 17: live reload beside a full build, the search index, bytes through nginx ------


def _is_routine_location(location: str, routine_urls: set[str]) -> bool:
    return location.split("#", 1)[0] in routine_urls


def search_index_figures(site: Path) -> dict:
    """The search index's size, and the part of it that is the routine pages' entries (each entry
    as Material writes it: compact JSON, non-ASCII escaped)."""
    path = site / "search" / "search_index.json"
    index = json.loads(path.read_text(encoding="utf-8"))
    urls = {p.parent.relative_to(site).as_posix() + "/" for p in routine_pages(site)}
    routine_entries = [doc for doc in index["docs"] if _is_routine_location(doc["location"], urls)]
    others = [doc for doc in index["docs"] if not _is_routine_location(doc["location"], urls)]
    return {"bytes": path.stat().st_size, "entries": len(index["docs"]),
            "routine_bytes": sum(len(json.dumps(doc, separators=(",", ":"))) for doc in routine_entries),
            "routine_entries": len(routine_entries), "routine_pages": len(urls),
            "other_bytes": sum(len(json.dumps(doc, separators=(",", ":"))) for doc in others),
            "other_entries": len(others)}


def page_files(site: Path, page: Path) -> list[str]:
    """Site-relative files a browser fetches for ``page``: stylesheets, fonts, scripts, and the search
    worker and index Material's search fetches once the page has loaded."""
    files = list(browser_bytes(site, page)["files"])
    html = page.read_text(encoding="utf-8")
    match = re.search(r'"search":\s*"([^"]+)"', html)
    if match:
        worker = _local(site, page, match.group(1).replace("\\/", "/"))
        if worker:
            files.append(str(worker.relative_to(site.resolve())))
    if (site / "search" / "search_index.json").is_file():
        files.append("search/search_index.json")
    return files


def run_reload(work: Path, count: int, reps: int, edits: int, timeout: float, log) -> dict:
    """``--bara omladdning``: for one size, full builds of our site and of plain Material, live reload
    in ``make serve`` (ratio to the full build in the same run), the search index beside Material's,
    and what a browser transfers for a routine page through nginx, cold and warm."""
    log(f"== {count} rutiner: live reload, sökindex, överföring ({reps} fulla byggen)")
    ours = make_ours(work / "var", count, with_maps=True)
    baseline = make_baseline(work / "material", ours, same_pages=True)
    check(ours)  # fills the handbook's cache, as an editor's second build has it
    builds = []
    for rep in range(reps):
        builds.append(build(ours))
        log(f"  fullt bygge #{rep + 1}: {builds[-1].wall:.2f} s (cpu {builds[-1].cpu:.2f} s)")
    material = build(baseline)
    log(f"  Material: {material.wall:.2f} s")
    result: dict = {"routines": count, "full_build": summary(builds), "material_build": summary([material])}
    result.update(reload_figures(work, ours, baseline, result["full_build"], edits, timeout, log))
    return result


def reload_figures(work: Path, ours: Path, baseline: Path, full_build: dict, edits: int, timeout: float,
                   log) -> dict:
    """The search index beside Material's, bytes through nginx, and live reload beside ``full_build``
    (built sites of our project and of the baseline; the live reload runs last, in ``ours``)."""
    result: dict = {}
    ours_index, material_index = search_index_figures(ours / "site"), search_index_figures(baseline / "site")
    result["search_index"] = {"ours": ours_index, "material": material_index,
                              "ratio": round(ours_index["bytes"] / material_index["bytes"], 3),
                              "routine_ratio": round(ours_index["routine_bytes"] / material_index["routine_bytes"], 3),
                              "other_ratio": round(ours_index["other_bytes"] / material_index["other_bytes"], 3)
                              if material_index["other_bytes"] else None}
    log(f"  sökindex: {ours_index['bytes']} B mot Materials {material_index['bytes']} B "
        f"({result['search_index']['ratio']}×; rutinsidornas poster {result['search_index']['routine_ratio']}×, "
        f"övriga sidornas {result['search_index']['other_ratio']}×)")
    with_map = next(p for p in routine_pages(ours / "site") if 'class="mermaid"' in p.read_text(encoding="utf-8"))
    plain = routine_pages(baseline / "site")[0]
    result["transfer"] = {
        "ours": {"page": with_map.relative_to(ours / "site").as_posix(),
                 **transfer.page_transfer(ours / "site", with_map, page_files(ours / "site", with_map),
                                          work / "nginx-var")},
        "material": {"page": plain.relative_to(baseline / "site").as_posix(),
                     **transfer.page_transfer(baseline / "site", plain, page_files(baseline / "site", plain),
                                              work / "nginx-material")},
    }
    log(f"  överföring: kall {result['transfer']['ours']['cold_bytes']} B, varm {result['transfer']['ours']['warm_bytes']} B")
    if edits:
        reload = live_reload(ours, edits, timeout)
        reload["ratio_to_full_build"] = round(reload["median_s"] / full_build["median_s"], 4)
        result["live_reload"] = reload
        log(f"  live reload: {reload['median_s']} s ({reload['ratio_to_full_build']}× fullt bygge)")
    return result


def main_reload(args, log) -> None:
    """Run ``--bara omladdning`` and merge its figures into the existing results."""
    sizes = [int(s) for s in args.storlekar.split(",") if s]
    work_root = args.arbetsmapp or Path(tempfile.mkdtemp(prefix="handbok-bench-", dir=memory_folder()))
    work_root.mkdir(parents=True, exist_ok=True)
    ENV["HANDBOK_CACHE"] = str(work_root / "cache")
    part = {"machine": machine(), "load_average_start": [round(x, 2) for x in os.getloadavg()], "sizes": {}}
    started = time.perf_counter()
    try:
        for count in sizes:
            work = work_root / f"omladdning-{count}"
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            part["sizes"][str(count)] = run_reload(work, count, args.fulla_byggen, args.omladdningar, 900, log)
    finally:
        if args.arbetsmapp is None:
            shutil.rmtree(work_root, ignore_errors=True)
    part["total_s"] = round(time.perf_counter() - started, 1)
    part["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    path = args.ut / "resultat.json"
    results = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {"sizes": {}}
    results["omladdning"] = part
    args.ut.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (args.ut / "RESULTAT.md").write_text(report.markdown(results), encoding="utf-8")
    log(f"klart: {args.ut / 'RESULTAT.md'}")


# --- the run ------------------------------------------------------------------------------


# An option this many times slower than our build in the first repetition is not repeated.
SLOW_OPTION = 3.0

MEMORY = Path("/dev/shm")
MEMORY_NEEDED = 4 * 1024**3  # the sites of one size with every option, with room to spare


def memory_folder() -> str | None:
    """A folder in memory (tmpfs) for the projects when the machine has one with room: builds write
    hundreds of megabytes, and a shared disk's waits would otherwise be measured with them."""
    try:
        usage = shutil.disk_usage(MEMORY)
    except OSError:
        return None
    return str(MEMORY) if usage.free >= MEMORY_NEEDED and os.access(MEMORY, os.W_OK) else None


def _in_memory(path: Path) -> bool:
    try:
        with open("/proc/mounts", encoding="utf-8") as mounts:
            points = [(line.split()[1], line.split()[2]) for line in mounts if len(line.split()) > 2]
    except OSError:
        return False
    resolved = str(path.resolve())
    best = max((p for p in points if resolved == p[0] or resolved.startswith(p[0].rstrip("/") + "/")),
               key=lambda p: len(p[0]), default=None)
    return bool(best and best[1] == "tmpfs")


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) // 1024} MB"
    except OSError:
        pass
    versions = {}
    for name in VERSIONS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    mermaid = re.search(r"version \*\*([0-9.]+)\*\*",
                        (CODE / "docs/assets/vendor/mermaid/VERSION.txt").read_text(encoding="utf-8"))
    versions["mermaid (js)"] = mermaid.group(1) if mermaid else None
    versions["python"] = platform.python_version()

    def git(*args: str) -> str:
        result = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)
        return result.stdout.strip()

    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "versions": versions,
        "code": str(CODE),
        "git_commit": git("rev-parse", "--short", "HEAD"),
        "git_dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
    }


def run_size(work: Path, count: int, reps: int, baseline_reps: int, option_reps: int, options: list[str],
             reload_edits: int, timeout: float, log) -> dict:
    """Everything measured for one size. ``reps`` repetitions of our build, our build without maps
    and the warm check; ``baseline_reps`` of the baseline; ``option_reps`` of the options and of
    the cold check."""
    option_reps = min(option_reps, reps)
    baseline_reps = min(baseline_reps, reps)
    log(f"== {count} rutiner ({reps} upprepningar, baslinjen {baseline_reps}, alternativen {option_reps})")
    ours = make_ours(work / "var", count, with_maps=True)
    nomaps = make_ours(work / "utan-kartor", count, with_maps=False)
    baseline = make_baseline(work / "material", ours)
    result: dict = {"routines": count, "repetitions": reps, "baseline_repetitions": baseline_reps,
                    "option_repetitions": option_reps, "builds": {}}

    result["check_cold"] = summary([check(ours, cold=True) for _ in range(option_reps)])
    result["check"] = summary([check(ours) for _ in range(reps)])
    log(f"  handbok check: {result['check']['median_s']} s (kall cache {result['check_cold']['median_s']} s)")
    variants = [("var", ours), ("utan-kartor", nomaps), ("material", baseline)]
    for option in options:
        variants.append((option, make_ours(work / option, count, with_maps=True, option=option, source=ours)))
    # An editor's first build of a fresh clone: the handbook's cache is empty, so every file is
    # parsed and Mermaid's parser (Node) reads every map. Fills the cache for the builds below.
    shutil.rmtree(ENV["HANDBOK_CACHE"], ignore_errors=True)
    result["build_cold"] = summary([build(ours)])
    log(f"  bygge var med kall cache: {result['build_cold']['median_s']} s")
    # Untimed: fills the handbook's cache for the handbook without maps too, so every timed
    # build starts alike (as an editor's second build does).
    check(nomaps)
    # Interleave the repetitions so that a slow moment of the machine hits every variant alike.
    times: dict[str, list[Timing]] = {name: [] for name, _ in variants}
    # Ours and ours without maps swap places every repetition, so neither always runs first.
    for rep in range(reps):
        order = variants[:2] if rep % 2 == 0 else variants[1::-1]
        for name, project in order + variants[2:]:
            if (rep >= option_reps and name in options) or (rep >= baseline_reps and name == "material"):
                continue
            if rep > 0 and name in options and times[name][0].cpu > SLOW_OPTION * times["var"][0].cpu:
                continue  # far slower than ours in the first repetition: more runs change nothing
            times[name].append(build(project))
            log(f"  bygge {name} #{rep + 1}: {times[name][-1].wall:.2f} s (cpu {times[name][-1].cpu:.2f} s)")
    for name, _ in variants:
        result["builds"][name] = summary(times[name])
    for name, project in variants:
        result["builds"][name]["site"] = site_figures(project / "site")

    with_map = routine_pages(ours / "site")[0]
    without_map = routine_pages(nomaps / "site")[0]
    result["browser"] = {"with_map": browser_bytes(ours / "site", with_map),
                         "without_map": browser_bytes(nomaps / "site", without_map),
                         "baseline": browser_bytes(baseline / "site", routine_pages(baseline / "site")[0])}
    result["browser"]["with_map"]["page"] = str(with_map.relative_to(ours / "site"))
    result["browser"]["without_map"]["page"] = str(without_map.relative_to(nomaps / "site"))
    figures = reload_figures(work, ours, baseline, result["builds"]["var"], reload_edits, timeout, log)
    result["omladdning"] = {"routines": count, "full_build": result["builds"]["var"],
                            "material_build": result["builds"]["material"], **figures}
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Mät handbokens prestanda (make bench).")
    parser.add_argument("--storlekar", default="100,1000", help="antal rutiner, kommaseparerat")
    parser.add_argument("--upprepningar", default="7,5",
                        help="upprepningar per storlek, kommaseparerat (sista värdet gäller resten)")
    parser.add_argument("--baslinje-upprepningar", default="7,3",
                        help="upprepningar av baslinjen (Material med platt meny), per storlek")
    parser.add_argument("--alternativ-upprepningar", default="3,3",
                        help="upprepningar av alternativen och av check med kall cache, per storlek")
    parser.add_argument("--alternativ", default=",".join(OPTIONS), help="alternativ att mäta, kommaseparerat")
    parser.add_argument("--omladdningar", type=int, default=2, help="ändringar vid mätningen av live reload")
    parser.add_argument("--ut", type=Path, default=BENCH, help="mapp för RESULTAT.md och resultat.json")
    parser.add_argument("--kod", type=Path, help="mät en kopia av repot (mkdocs.yml, overrides, docs/assets, scripts)")
    parser.add_argument("--arbetsmapp", type=Path, help="behåll projekten här (annars en tillfällig mapp)")
    parser.add_argument("--bara", choices=["omladdning"],
                        help="mät bara en del: 'omladdning' = live reload bredvid ett fullt bygge, sökindexet mot "
                             "Materials och överföringen genom nginx (övriga avsnitt i resultaten behålls)")
    parser.add_argument("--fulla-byggen", type=int, default=2, help="fulla byggen per storlek med --bara omladdning")
    args = parser.parse_args(argv)

    if args.kod:
        global CODE
        CODE = args.kod.resolve()
        ENV["PYTHONPATH"] = str(CODE / "scripts")
        sys.path.insert(0, str(CODE / "scripts"))
        # The checker finds Mermaid's parser (linkedom) beside the code; a snapshot of the
        # repository has no node_modules, and without it the maps would go unchecked.
        if not (CODE / "node_modules").exists() and (REPO / "node_modules").is_dir():
            (CODE / "node_modules").symlink_to(REPO / "node_modules")
    # Byte-compiled like 'make compile' does, so no timed run compiles the package.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(CODE / "scripts" / "handbok")], check=True)
    sizes = [int(s) for s in args.storlekar.split(",") if s]
    reps = [int(r) for r in args.upprepningar.split(",") if r]
    option_reps = [int(r) for r in args.alternativ_upprepningar.split(",") if r]
    baseline_reps = [int(r) for r in args.baslinje_upprepningar.split(",") if r]
    options = [o for o in args.alternativ.split(",") if o]
    unknown = [o for o in options if o not in OPTIONS]
    if unknown:
        parser.error(f"okänt alternativ: {', '.join(unknown)} (finns: {', '.join(OPTIONS)})")
    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:7.1f} s] {message}", flush=True)

    if args.bara == "omladdning":
        main_reload(args, log)
        return

    work_root = args.arbetsmapp or Path(tempfile.mkdtemp(prefix="handbok-bench-", dir=memory_folder()))
    work_root.mkdir(parents=True, exist_ok=True)
    # The handbook's own cache (parsed files, Mermaid verdicts) lives in the work folder.
    ENV["HANDBOK_CACHE"] = str(work_root / "cache")
    results = {"machine": machine(), "today": TODAY, "load_average_start": [round(x, 2) for x in os.getloadavg()],
               "work_folder": str(work_root), "work_folder_in_memory": _in_memory(work_root), "options": {k: {"title": OPTIONS[k]["title"], "changes": OPTIONS[k]["changes"]} for k in options},
               "sizes": {}}
    try:
        for index, count in enumerate(sizes):
            work = work_root / str(count)
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            results["sizes"][str(count)] = run_size(work, count, reps[min(index, len(reps) - 1)],
                                                    baseline_reps[min(index, len(baseline_reps) - 1)],
                                                    option_reps[min(index, len(option_reps) - 1)], options,
                                                    args.omladdningar, 900, log)
    finally:
        if args.arbetsmapp is None:
            shutil.rmtree(work_root, ignore_errors=True)
    results["total_s"] = round(time.perf_counter() - started, 1)
    results["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    results["omladdning"] = {"machine": results["machine"], "load_average_start": results["load_average_start"],
                             "load_average_end": results["load_average_end"],
                             "sizes": {count: data.pop("omladdning") for count, data in results["sizes"].items()}}
    args.ut.mkdir(parents=True, exist_ok=True)
    (args.ut / "resultat.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (args.ut / "RESULTAT.md").write_text(report.markdown(results), encoding="utf-8")
    log(f"klart: {args.ut / 'RESULTAT.md'}")


if __name__ == "__main__":
    main()
