"""The ``handbok`` MkDocs plugin: a thin adapter over the handbook package.

It loads the routines with the one model (``core.loader``), runs the same
checks as ``handbok check``, adds each routine as a page under
``rutiner/<process>/<id>/``, fills the navigation, adds the generated pages
and the feed, and places the metadata box (an ``overrides/partials``
template) under each routine's title. Everything it shows comes from the core
and the pages; what is MkDocs-specific stays in this package.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs import utils
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from .. import model, pages
from ..checks import run_checks
from ..checks.safety import removal_problems
from ..core.addresses import relative_uri, routine_src_uri
from ..core.build import ALIAS, build_state
from ..core.context import BuildContext
from ..core.generated import Generator, render_page
from ..core.handbook import Handbook
from ..core.loader import load_handbook
from ..core.safe_html import sanitize
from ..core.state import tag_names
from ..pages import feed, releases
from ..pages.html import esc
from ..pages.markers import expand_markers
from ..pages.routine import abbreviation_lines, routine_markdown, routine_view
from . import inline_scripts
from .compact import collapse_whitespace
from .config import HandbookConfig
from .mermaid2_scripts import known_bodies as mermaid2_scripts
from .mermaid2_scripts import speed_up as speed_up_mermaid
from .nav import speed_up as speed_up_nav
from .precompress import precompress
from .stash import HtmlStash, hold_data_scripts

log = logging.getLogger("mkdocs.plugins.handbok")

METADATA_TEMPLATE = "partials/handbok/rutinhuvud.html"
OVERVIEW_URI = "rutiner/index.md"


class HandbookPlugin(BasePlugin[HandbookConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.handbook: Handbook | None = None
        self.by_uri: dict[str, str] = {}
        self.generated: dict[str, Generator] = {}
        self.stashes: dict[str, HtmlStash] = {}
        self.env = None
        self.nav_links = None
        self.files: Files | None = None
        self.today = dt.date.today()
        self.context = BuildContext()
        self.known_scripts: inline_scripts.KnownScripts | None = None
        self.removed = 0  # elements and attributes the sanitiser removed in this build

    # -- configuration and checks ------------------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        base = Path(config.config_file_path or ".").parent
        root = (base / self.config.root).resolve()
        if self.config.today:
            try:
                self.today = model.parse_date(self.config.today)
            except ValueError as error:
                raise PluginError(f"handbok: today: {error}") from None
        else:
            self.today = dt.date.today()
        self.handbook = handbook = load_handbook(root)
        self.removed = 0
        self._tell_templates_what_this_build_is(config)
        self.context = context = BuildContext(today=self.today, review_warning_days=self.config.review_warning_days)
        problems = run_checks(handbook, context, in_build=True)
        for problem in problems:
            text = problem.format() + (f"\n    → {problem.hint}" if problem.hint else "")
            if problem.is_error:
                log.error(text)
            else:
                log.info(text)
        errors = problems.errors
        if errors:
            raise PluginError(
                f"Handboken har {len(errors)} fel (se ovan). Rätta dem eller kör 'handbok check' för detaljer."
            )
        self.by_uri = {routine_src_uri(s.routine): rid for rid, s in handbook.routines.items()}
        if config.nav is not None:
            config.nav = self._fill_nav(config.nav)
        if self.config.fast_mermaid:
            speed_up_mermaid(config.plugins)
        return config

    def _tell_templates_what_this_build_is(self, config: MkDocsConfig) -> None:
        """A draft or an approved release; the version selector only where mike deploys."""
        state = build_state(self.handbook.root, self.handbook.releases)
        config.extra["handbok_release"] = {
            "utkast": state.draft,
            "version": state.version or state.deployed_as or "",
            "alias": ALIAS,
        }
        if not state.deployed_as:
            # Material's selector fetches ../versions.json, which exists only on the mike branch.
            config.extra.pop("version", None)

    def _routine_nav(self) -> list:
        handbook = self.handbook
        groups: dict[str, list] = {}
        for source in handbook.sorted_routines():
            routine = source.routine
            title = handbook.process_of(routine).title
            # Material prints nav titles as HTML: escape what editors typed.
            groups.setdefault(title, []).append({esc(routine.title): routine_src_uri(routine)})
        return [OVERVIEW_URI] + [{esc(title): items} for title, items in groups.items()]

    def _fill_nav(self, nav: list) -> list:
        filled = []
        for item in nav:
            if isinstance(item, dict) and list(item) == [self.config.nav_section]:
                filled.append({self.config.nav_section: self._routine_nav()})
            else:
                filled.append(item)
        return filled

    # -- files and pages ---------------------------------------------------------

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        docs = str(Path(config.docs_dir)) + os.sep
        for file in list(files):
            # A file in docs/ that links out of the handbook is refused by the checks (RH009)
            # and never published. (The theme's own files come from elsewhere, as they should.)
            if file.abs_src_path and file.abs_src_path.startswith(docs) \
                    and self.handbook.outside(Path(file.abs_src_path)):
                files.remove(file)
        for uri in self.by_uri:
            # The content is assembled in on_page_markdown; the file only reserves the URL.
            files.append(File.generated(config, uri, content=""))
        self.generated = {}
        for uri in pages.PAGES:
            if files.get_file_from_path(uri) is None:
                self.generated[uri] = pages.GENERATORS[uri]
                files.append(File.generated(config, uri, content=""))
        self._add_feed(files, config)
        return files

    def _add_feed(self, files: Files, config: MkDocsConfig) -> None:
        """The Atom feed of approved releases; it needs absolute addresses, so only with a site_url."""
        config.extra["handbok_feed"] = None
        if not config.site_url or files.get_file_from_path(feed.FILE) is not None:
            return
        if self.handbook.releases.problems:
            return  # reported by the checks; a feed from a broken register would mislead
        text = feed.atom(self.handbook, config.site_url, self.today)
        files.append(File.generated(config, feed.FILE, content=text))
        config.extra["handbok_feed"] = feed.FILE

    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        self.env = env
        self.files = files
        self.nav_links = speed_up_nav(env) if self.config.fast_nav else None
        self.known_scripts = inline_scripts.KnownScripts.from_environment(env)
        for body in mermaid2_scripts(config.plugins):
            self.known_scripts.add(body)
        return env

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        handbook = self.handbook
        abbreviations = abbreviation_lines(handbook)
        uri = page.file.src_uri
        if uri in self.by_uri:
            source = handbook.routines[self.by_uri[uri]]
            page.meta["handbok_rutin"] = source.routine.id
            # Process, roles and target groups; escaped, as Material prints tag names as HTML.
            page.meta.setdefault("tags", tag_names(handbook, source.routine))
            stash = self.stashes[page.file.src_uri] = HtmlStash()
            return routine_markdown(handbook, source, abbreviations, raw=stash.hold)
        if uri in self.generated:
            markdown = render_page(self.generated[uri], handbook, uri, self.context)
            if uri == releases.URI and config.extra.get("handbok_feed"):
                markdown = releases.with_feed_link(markdown, relative_uri(uri, config.extra["handbok_feed"]))
        else:
            # Material writes a page's title and description into the HTML as they are.
            for key in ("title", "description", "subtitle"):
                if isinstance(page.meta.get(key), str):
                    page.meta[key] = esc(page.meta[key])
        markdown = expand_markers(markdown, handbook, uri, page.url)
        return markdown + "\n\n" + abbreviations + "\n"

    @event_priority(100)  # first: search, tags and autorefs read the sanitised HTML
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        uri = page.file.src_uri
        stash = self.stashes.pop(uri, None)
        if stash:
            html = stash.release(html)  # the generated blocks are sanitised with the rest
        generated = uri in self.generated
        data = HtmlStash() if generated else None
        if data is not None:
            html = hold_data_scripts(html, data)
        result = sanitize(html, generated=generated)
        if result.removed:
            self._report_removals(page, result.removed)
        return data.release(result.html) if data is not None else result.html

    def _report_removals(self, page: Page, removed) -> None:
        """Each removed element or attribute as an error at its source line (as 'handbok check' says it)."""
        uri = page.file.src_uri
        if uri in self.by_uri:
            source = self.handbook.routines[self.by_uri[uri]]
            display, body, first_line, kind = source.display, source.body, source.body_line, "rutinen"
        else:
            path = Path(page.file.abs_src_path) if page.file.abs_src_path else None
            known = next((p for p in self.handbook.docs_pages() if path and p.path == path), None)
            if known is not None:
                display, body, first_line, kind = known.display, known.body, known.body_line, "sidan"
            else:
                display, body, first_line, kind = f"{uri} (genererad sida)", "", 1, "sidan"
        for problem in removal_problems(display, body, first_line, list(removed), kind):
            log.error(problem.format() + "\n    → säkerhetsfiltret tog bort det ur sidan. " + problem.hint)
        self.removed += len(removed)

    def on_page_context(self, context, *, page: Page, config: MkDocsConfig, nav):
        # Runs after on_env, so the theme's template environment is available.
        rid = page.meta.get("handbok_rutin")
        if not rid or self.env is None:
            return context
        source = self.handbook.routines[rid]
        files = self.files

        def url_to(src_uri: str) -> str:
            target = files.get_file_from_path(src_uri)
            return target.url_relative_to(page.file) if target else ""

        view = routine_view(self.handbook, source, self.today, url_to)
        box = self.env.get_template(METADATA_TEMPLATE).render(rutin=view)
        head, sep, tail = page.content.partition("</h1>")
        page.content = head + sep + box + tail if sep else box + page.content
        return context

    # -- strict Content-Security-Policy: no inline scripts -------------------------

    @event_priority(-100)  # last: mermaid2 adds its inline script in its own on_post_page
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self.config.compact_html:
            output = collapse_whitespace(output)
        return self._externalize_scripts(output, utils.get_relative_url(".", page.url), config,
                                         f"sidan {page.file.src_uri}")

    @event_priority(-100)
    def on_post_template(self, output: str, *, template_name: str, config: MkDocsConfig) -> str:
        if not template_name.endswith(".html"):
            return output
        # MkDocs renders error pages with absolute URLs (see mkdocs.commands.build).
        base = urlsplit(config.site_url or "/").path if utils.is_error_template(template_name) else "."
        return self._externalize_scripts(output, base, config, f"mallen {template_name}")

    def _externalize_scripts(self, output: str, base_url: str, config: MkDocsConfig, where: str) -> str:
        prefix = "" if base_url in ("", ".") else base_url.rstrip("/") + "/"
        try:
            output, scripts = inline_scripts.externalize(output, prefix, self.known_scripts or inline_scripts.KnownScripts())
        except inline_scripts.UnknownScript as unknown:
            raise PluginError(
                f"handbok: {where} innehåller ett skript i HTML-koden som varken temat eller handboken har skrivit: "
                f"'{' '.join(unknown.body.split())[:80]}'. Bara temats och handbokens egna skript får köras; "
                "ta bort det som lägger in skriptet (en mall i overrides/, ett tillägg i mkdocs.yml)."
            ) from None
        inline_scripts.write_scripts(config.site_dir, scripts)
        return output

    # -- precompressed assets, and what the sanitiser removed ---------------------------

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        precompress(config.site_dir)
        if self.removed:
            raise PluginError(
                f"Säkerhetsfiltret tog bort {self.removed} otillåtna HTML-delar ur sidorna (se felen ovan). "
                "Rätta dem eller kör 'handbok check' för detaljer."
            )
