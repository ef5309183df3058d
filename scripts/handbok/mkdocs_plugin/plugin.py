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

import jinja2
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
from ..core.errors import HandbookError
from ..core.generated import PAGES, Generator, render_page
from ..core.handbook import Handbook
from ..core.history import LastChanged, last_changed
from ..core.loader import load_handbook, reload_routines
from ..core.safe_html import sanitize
from ..core.site_config import edit_root
from ..core.state import build_status, search_tags, tag_names
from ..pages import api, calendar, feed, releases
from ..pages.html import esc
from ..pages.markers import expand_markers
from ..pages.routine import abbreviation_lines, changed_text, routine_markdown, routine_view, tag_links
from . import inline_scripts
from . import incremental
from .internals import (InternalsChanged, build_only, forget_previous_search_index, page_state, restore_page_state,
                        search_entries, silence_dirty_warning, tags_in_page_order, take_page_tags)
from .compact import collapse_whitespace
from .config import HandbookConfig
from .mermaid2_scripts import known_bodies as mermaid2_scripts
from .mermaid2_scripts import speed_up as speed_up_mermaid
from .nav import speed_up as speed_up_nav
from .precompress import precompress
from .search import drop_lists, exclude_listings, page_entries, shape_routine
from .stash import HtmlStash, hold_data_scripts
from .theme_files import ThemeListing
from .watching import watch_changes_natively

log = logging.getLogger("mkdocs.plugins.handbok")

METADATA_TEMPLATE = "partials/handbok/rutinhuvud.html"
TAGS_PROPERTY = "etiketter"
"""The front matter property Material's tags plugin reads (``tags_name_property`` in mkdocs.yml)."""
OVERVIEW_URI = "rutiner/index.md"
REVIEW_PLAN = "register/revideringsplan.md"
KEPT_FILES = ("objects.inv",)
"""Files other plugins write after the build from every page they rendered (mkdocstrings' inventory
of the documented code): a rebuild of routine texts keeps what the last full build wrote."""


class _TemplateCode(jinja2.BytecodeCache):
    """Compiled templates in memory, from one build of make serve to the next."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}
        self.compiled_for: tuple = ()

    def use_in(self, env: jinja2.Environment) -> None:
        """Be ``env``'s cache; code compiled for an environment with other options or extensions goes."""
        options = (sorted(env.extensions), getattr(env.autoescape, "__qualname__", env.autoescape),
                   env.trim_blocks, env.lstrip_blocks, env.keep_trailing_newline, env.newline_sequence,
                   env.block_start_string, env.variable_start_string, env.comment_start_string,
                   env.line_statement_prefix, env.line_comment_prefix, env.optimized)
        if options != self.compiled_for:
            self.code, self.compiled_for = {}, options
        env.bytecode_cache = self

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


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
        self.changed = LastChanged()
        self.edit_root: str | None = None
        self.calendars = False
        self.known_scripts: inline_scripts.KnownScripts | None = None
        self.removed = 0  # elements and attributes the sanitiser removed in this build
        # make serve (mkdocs serve --dirty): what the last build read and wrote (incremental.py)
        self.serving = False
        self.snapshot: incremental.Snapshot | None = None
        self.pending: incremental.Snapshot | None = None
        self.plan: incremental.Plan | None = None
        self.saved_pages: dict[str, dict] = {}
        self.saved_search: dict[str, list[dict]] = {}
        self.search_order: list[str] = []
        self.tag_listings: set[str] = set()
        self.reading: set[str] = set()
        self.calendar_files: dict[str, str] | None = None
        self.api_files: dict[str, str] | None = None
        self.kept_files: dict[str, bytes] = {}
        self.states: dict[str, tuple[int, int]] | None = None  # the files this build reads, as it started
        self.loaded: dict[str, tuple[int, int]] | None = None  # the files self.handbook was read and checked from
        self.found: dict[str, list] = {}  # each rule's findings in that handbook (checks.registry.run_checks)
        self.compiled_templates = _TemplateCode()
        self.theme_listing = ThemeListing()
        self.theme_scripts: inline_scripts.KnownScripts | None = None
        self.feed_text: str | None = None
        self.edited: list[str] | None = None  # the routines read again into the kept handbook in this build

    # -- make serve: rebuild what an edit affects (incremental.py) -------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this plugin (and what it remembers) from one build
        # of 'mkdocs serve' to the next.
        self._forget()
        self.theme_listing = ThemeListing()
        self.serving = command == "serve" and dirty
        silence_dirty_warning(self.serving)

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        if self.config.native_watching:
            try:
                log.info("handbok: %s.", watch_changes_natively(server, list(config.watch)))
            except InternalsChanged as error:  # a server of another shape: it watches as it always has
                log.warning("handbok: bevakningen av filerna lämnas som den är: %s", error)
        return server

    def on_shutdown(self) -> None:
        silence_dirty_warning(False)
        self.serving = False
        self._forget()

    def on_build_error(self, *, error: Exception) -> None:
        self.snapshot = None  # the site folder is not what the last snapshot built: build it all next time

    def _forget(self) -> None:
        self.snapshot = self.pending = self.plan = None
        self.saved_pages, self.saved_search, self.search_order = {}, {}, []
        self.tag_listings = set()
        self.calendar_files = self.api_files = None
        self.kept_files = {}
        self.states = self.loaded = None
        self.found = {}
        self.theme_scripts = None
        self.feed_text = None

    @property
    def _incremental(self) -> bool:
        return self.serving and self.plan is not None and not self.plan.full

    @staticmethod
    def _inputs(config: MkDocsConfig, root: Path) -> list[Path]:
        """The files and folders a build reads."""
        inputs = [root / folder for folder in incremental.WATCHED] + [Path(config.docs_dir)]
        if config.config_file_path:
            inputs.append(Path(config.config_file_path))
        if config.theme.custom_dir:
            inputs.append(Path(config.theme.custom_dir))
        inputs.append(Path(__file__).resolve().parent.parent)  # the handbok package itself
        return [p for p in inputs if p.exists()]

    def _reload_edited_routines(self, root: Path) -> list[str] | None:
        """In make serve, when only routine files changed since the handbook was read: those
        routines read again into it (``core.loader.reload_routines``), and their ids; else None."""
        handbook, before, now = self.handbook, self.loaded, self.states
        if handbook is None or before is None or now is None or handbook.root != root:
            return None
        changed = [Path(path) for path in before.keys() | now.keys() if before.get(path) != now.get(path)]
        return reload_routines(handbook, changed)

    def _plan_build(self, config: MkDocsConfig) -> None:
        handbook = self.handbook
        root = handbook.root
        key = (config.site_dir, config.config_file_path, str(self.today), config.site_url,
               repr(config.extra.get("handbok_release")))
        previous, self.snapshot = self.snapshot, None  # kept again only when this build succeeds
        routine_paths = {str(source.path): rid for rid, source in handbook.routines.items()}
        kept = {}
        if self.edited is not None and previous is not None and previous.key == key \
                and previous.routine_paths == routine_paths:
            # Only routine files changed since the last build: what other pages show of the others is as it was.
            kept = {rid: fact for path, rid in routine_paths.items() if previous.files.get(path) == self.states.get(path)
                    and (fact := previous.facts.get(rid)) is not None}
        current = incremental.Snapshot(
            key=key, files=self.states,
            facts=incremental.routine_facts(handbook, self.context, self.changed, self._routine_files, kept),
            routine_paths=routine_paths)
        self.pending = current
        self.plan = plan = incremental.plan(previous, current, {rid: uri for uri, rid in self.by_uri.items()}, root)
        if plan.full:
            if previous is not None:
                log.info("handbok: hela webbplatsen byggs om: %s.", plan.reason)
            self.saved_pages, self.saved_search, self.search_order = {}, {}, []
            # A dirty build does not empty the site folder; a full one must (a removed page goes).
            if os.path.isdir(config.site_dir):
                utils.clean_directory(config.site_dir)
        else:
            log.info("handbok: %s; %s byggs om.", plan.reason,
                     f"{len(plan.pages)} sida" if len(plan.pages) == 1 else f"{len(plan.pages)} sidor")

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
        self.states = incremental.file_states(self._inputs(config, root)) if self.serving else None
        if self.serving:
            theme = config.theme
            self.theme_listing.use_in(theme, lambda: theme.static_templates)
        self.edited = edited = self._reload_edited_routines(root)
        if edited is None:
            # Mermaid reads the process maps (in Node) while Python loads the routines.
            handbook = Handbook(root=root)
            handbook.start_maps()
            self.handbook = handbook = load_handbook(root, into=handbook)
            self.found = {}
        else:
            handbook = self.handbook
        # What the handbook was read from, for the next build of make serve (reset when the checks fail half-way).
        self.loaded, loaded = None, self.states
        self.removed = 0
        self.context = context = BuildContext(today=self.today, review_warning_days=self.config.review_warning_days)
        self._tell_templates_what_this_build_is(config)
        try:
            # The maps' text versions come from Mermaid's reading: no reading, no site.
            handbook.require_maps()
        except HandbookError as error:
            raise PluginError(f"{error.message} {error.hint}") from None
        found = dict(self.found)
        problems = run_checks(handbook, context, in_build=True, found=found if self.serving else None,
                              edited=set(edited) if edited is not None else None)
        self.found, self.loaded = found, loaded
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
        self.changed = last_changed(handbook.root)
        if self.changed.note:
            log.info("handbok: ändringsdatum saknas: %s", self.changed.note)
        self.edit_root = _edit_root(config, handbook.root)
        if config.nav is not None:
            config.nav = self._fill_nav(config.nav)
        if self.config.fast_mermaid:
            speed_up_mermaid(config.plugins)
        if self.serving:
            self._plan_build(config)
        return config

    def _tell_templates_what_this_build_is(self, config: MkDocsConfig) -> None:
        """A draft or an approved release; the version selector only where mike deploys."""
        state = self.context.build = build_state(self.handbook.root, self.handbook.releases)
        status = build_status(self.handbook, self.context)
        config.extra["handbok_release"] = {
            "utkast": state.draft,
            "version": state.version or state.deployed_as or "",
            "alias": ALIAS,
            "text": status.short or status.text,
            "gallande": status.in_force.version if status.in_force else "",
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
        self._add_calendars(files, config)
        self._add_api(files, config)
        if self._incremental:
            # Read the pages to build and the tags indexes (the tags plugin links a page's tags
            # to the index it finds while reading); after reading, write only the pages to build.
            self.reading = self.plan.pages | self.tag_listings
            for file in files.documentation_pages():
                build_only(file, lambda uri=file.src_uri: uri in self.reading)
        return files

    def _add_api(self, files: Files, config: MkDocsConfig) -> None:
        """The routine list as JSON, and its schema, in every build (addresses relative to the site
        root without a site_url)."""
        if not (self._incremental and self.api_files is not None):
            # Only the routines' front matter and the day change the list, and either means a full rebuild.
            self.api_files = api.files(self.handbook, self.context, config.site_url or "")
        for path, content in self.api_files.items():
            if files.get_file_from_path(path) is None:
                files.append(File.generated(config, path, content=content))

    def _add_calendars(self, files: Files, config: MkDocsConfig) -> None:
        """The review dates as iCalendar files (absolute addresses: only with a site_url)."""
        self.calendars = False
        if not config.site_url:
            return
        if not (self._incremental and self.calendar_files is not None):
            # The same facts give the same calendars: a rebuild of routine texts only keeps the last ones.
            self.calendar_files = calendar.calendars(self.handbook, feed.site_root(config.site_url), self.context)
        for path, content in self.calendar_files.items():
            if files.get_file_from_path(path) is None:
                files.append(File.generated(config, path, content=content))
        self.calendars = True

    def _add_feed(self, files: Files, config: MkDocsConfig) -> None:
        """The Atom feed of approved releases; it needs absolute addresses, so only with a site_url."""
        config.extra["handbok_feed"] = None
        if not config.site_url or files.get_file_from_path(feed.FILE) is not None:
            return
        if self.handbook.releases.problems:
            return  # reported by the checks; a feed from a broken register would mislead
        if not (self._incremental and self.feed_text is not None):
            # Made of the release register, the site's address and the day: a change to any builds it all.
            self.feed_text = feed.atom(self.handbook, config.site_url, self.today)
        files.append(File.generated(config, feed.FILE, content=self.feed_text))
        config.extra["handbok_feed"] = feed.FILE

    @event_priority(110)  # before the tags plugin, which renders its indexes from every page's tags
    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        if self.serving:
            forget_previous_search_index(config.plugins)
            # MkDocs makes the theme's templates anew for every build; their compiled code is kept
            # (Jinja compares each template's source with the one the code was compiled from).
            self.compiled_templates.use_in(env)
        if self._incremental:
            self._keep_unbuilt_pages(files, config)
        self.env = env
        self.files = files
        self.nav_links = speed_up_nav(env) if self.config.fast_nav else None
        if not (self._incremental and self.theme_scripts is not None):
            # The theme's templates are the last full build's (a change to overrides/ or mkdocs.yml builds it all).
            self.theme_scripts = inline_scripts.KnownScripts.from_environment(env)
        self.known_scripts = self.theme_scripts.copy()
        for body in mermaid2_scripts(config.plugins):
            self.known_scripts.add(body)
        return env

    def _keep_unbuilt_pages(self, files: Files, config: MkDocsConfig) -> None:
        """The pages this build does not build keep what the last build read of them (their
        title, table of contents, metadata and dates: the menu, the sitemap and the links read
        them), and their search entries; from here on only the pages to build are written."""
        for file in files.documentation_pages():
            if file.src_uri in self.plan.pages:
                self.saved_search.pop(file.page.url, None)  # filled again when the page is built
                continue
            saved = self.saved_pages.get(file.src_uri)
            if saved is None:
                raise PluginError(f"handbok: sidan {file.src_uri} byggdes inte förra gången; detta är ett programfel")
            restore_page_state(file.page, saved)
        tags_in_page_order(config.plugins, [file.page for file in files.documentation_pages()])
        self.reading = set(self.plan.pages)
        entries = search_entries(config.plugins)
        if entries is not None:
            entries[:] = [entry for url in self.search_order for entry in self.saved_search.get(url, [])]

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        markdown = self._page_markdown(markdown, page=page, config=config)
        if self.serving and "<!-- material/tags" in markdown:
            self.tag_listings.add(page.file.src_uri)
        return markdown

    def _page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig) -> str:
        handbook = self.handbook
        abbreviations = abbreviation_lines(handbook)
        uri = page.file.src_uri
        self._set_edit_and_change_dates(page, uri, config)
        if uri in self.by_uri:
            source = handbook.routines[self.by_uri[uri]]
            page.meta["handbok_rutin"] = source.routine.id
            # Process, roles and target groups for the tags plugin (mkdocs.yml: tags_name_property);
            # escaped, as Material prints tag names as HTML. A search hit shows only 'tags':
            # the reader status and the process.
            page.meta.setdefault(TAGS_PROPERTY, tag_names(handbook, source.routine))
            page.meta["tags"] = search_tags(handbook, source.routine, self.context)
            stash = self.stashes[page.file.src_uri] = HtmlStash()
            return routine_markdown(handbook, source, abbreviations, raw=stash.hold, today=self.today)
        if uri in self.generated:
            markdown = render_page(self.generated[uri], handbook, uri, self.context)
            if uri == releases.URI and config.extra.get("handbok_feed"):
                markdown = releases.with_feed_link(markdown, relative_uri(uri, config.extra["handbok_feed"]))
            if uri == REVIEW_PLAN and self.calendars:
                markdown += "\n" + calendar.subscribe_markdown(handbook, uri, self.context)
        else:
            # Material writes a page's title and description into the HTML as they are.
            for key in ("title", "description", "subtitle"):
                if isinstance(page.meta.get(key), str):
                    page.meta[key] = esc(page.meta[key])
        if uri in self.generated:
            markdown = expand_markers(markdown, handbook, uri, self.context)
        else:  # a docs page: the markers' blocks are the handbook's, held apart from the editor's text
            stash = self.stashes[uri] = HtmlStash()
            # Each block its own paragraph, whatever the marker's lines around it (the marker
            # patterns take the blank lines after them).
            markdown = expand_markers(markdown, handbook, uri, self.context,
                                      raw=lambda block: "\n\n" + stash.hold(block) + "\n\n")
        return markdown + "\n\n" + abbreviations + "\n"

    @event_priority(100)  # first: search, tags and autorefs read the sanitised HTML
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Sanitise the page: the editor's text against the editor's allow-list, and the
        handbook's own blocks (generated pages, a routine's sections, the markers' parts)
        against the handbook's, which also has the controls and attributes it writes."""
        uri = page.file.src_uri
        stash = self.stashes.pop(uri, None)
        generated = uri in self.generated
        data = HtmlStash() if generated else None
        if data is not None:
            html = hold_data_scripts(html, data)
        result = sanitize(html, generated=generated)
        if result.removed:
            self._report_removals(page, result.removed)
        html = result.html
        if stash:
            for index, (token, block) in enumerate(stash.blocks):
                own = sanitize(block, generated=True)
                if own.removed:
                    raise PluginError(f"handbok: säkerhetsfiltret tog bort {own.removed[0].tag} ur ett block som "
                                      f"handboken själv skrev på sidan {uri}; detta är ett programfel")
                stash.blocks[index] = (token, own.html)
            html = stash.release(html)
        if data is not None:
            html = data.release(html)
        if generated and PAGES[uri].search == "prose":
            html = exclude_listings(html)
        return html

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

        view = routine_view(self.handbook, source, self.context, url_to)
        paths = self._routine_files(source)
        view["changed"] = changed_text(self.changed, paths, self.today)
        if self.edit_root:
            view["edit_url"] = self.edit_root + paths[0]
            view["map_edit_url"] = self.edit_root + paths[1] if len(paths) > 1 else ""
        box = self.env.get_template(METADATA_TEMPLATE).render(rutin=view)
        head, sep, tail = page.content.partition("</h1>")
        page.content = head + sep + box + tail if sep else box + page.content
        # The tags stand at the end of the page, not above the title (on a phone they would
        # push status, owner and review date off the first screen).
        tags = take_page_tags(context)
        if tags:
            page.content += tag_links(tags, lambda url: utils.get_relative_url(url, page.url) if url else "")
        return context

    # -- "Föreslå ändring" and "Senast ändrad" -------------------------------------

    @staticmethod
    def _routine_files(source) -> tuple[str, ...]:
        """The routine's file and its map, relative to the handbook root."""
        routine = source.routine
        files = (f"routines/{source.path.name}",)
        return files + ((f"diagrams/{routine.diagram}",) if routine.diagram else ())

    def _set_edit_and_change_dates(self, page: Page, uri: str, config: MkDocsConfig) -> None:
        """The edit address of routine and generated pages (MkDocs sets it for docs pages), and the
        day every page last changed (the sitemap's lastmod), from git, never the build date."""
        if uri in self.by_uri:
            sources = self._routine_files(self.handbook.routines[self.by_uri[uri]])
            page.edit_url = self.edit_root + sources[0] if self.edit_root else None
        elif uri in self.generated:
            declared = PAGES[uri]
            sources = declared.sources
            page.edit_url = self.edit_root + declared.edit_file if self.edit_root and declared.edit_file else None
        else:
            docs = Path(config.docs_dir).resolve()
            try:
                prefix = docs.relative_to(self.handbook.root).as_posix() + "/"
            except ValueError:
                prefix = "docs/"
            sources = (prefix + uri,)
        day = self.changed.day(sources, self.today)
        # The sitemap (overrides/sitemap.xml) prints no lastmod rather than a wrong one; MkDocs
        # itself needs update_date to stay a date (it dates the sitemap's gzip by it).
        page.meta["handbok_andrad"] = str(day) if day else ""
        if day:
            page.update_date = str(day)

    # -- strict Content-Security-Policy: no inline scripts -------------------------

    @event_priority(-100)  # last: mermaid2 adds its inline script in its own on_post_page
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        # Material's search indexed the page when its template was rendered (on_page_context).
        rid = page.meta.get("handbok_rutin")
        listing = page.file.src_uri in self.generated and PAGES[page.file.src_uri].search != "all"
        entries = search_entries(config.plugins) if rid or listing else None
        if entries is not None and rid:
            shape_routine(entries, page.url, self.handbook, self.handbook.routines[rid].routine)
        elif entries is not None:
            drop_lists(entries, page.url)
        if self.serving:
            self.saved_pages[page.file.src_uri] = page_state(page)
        if self._incremental:
            # This page's new entries take the place of its old ones, in the order a full build gives.
            entries = search_entries(config.plugins)
            if entries is not None:
                positions = page_entries(entries, page.url)
                self.saved_search[page.url] = [entries[p] for p in positions]
                entries[:] = [entry for url in self.search_order for entry in self.saved_search.get(url, [])]
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

    @event_priority(-100)  # last: after the search index and mkdocstrings' inventory are written
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self._incremental:
            # Written from every page a build renders: what the last full build wrote stands.
            for name, data in self.kept_files.items():
                Path(config.site_dir, name).write_bytes(data)
        precompress(config.site_dir)
        if self.removed:
            raise PluginError(
                f"Säkerhetsfiltret tog bort {self.removed} otillåtna HTML-delar ur sidorna (se felen ovan). "
                "Rätta dem eller kör 'handbok check' för detaljer."
            )
        if self.serving:
            if not self._incremental:
                self._remember_search_index(config)
                self.kept_files = {name: Path(config.site_dir, name).read_bytes() for name in KEPT_FILES
                                   if Path(config.site_dir, name).is_file()}
            self.snapshot, self.pending = self.pending, None

    def _remember_search_index(self, config: MkDocsConfig) -> None:
        """Each page's search entries after a full build, in the order of the pages."""
        self.search_order = [file.page.url if file.page else file.url for file in self.files.documentation_pages()]
        self.saved_search = {}
        for entry in search_entries(config.plugins) or []:
            self.saved_search.setdefault(entry.get("location", "").split("#", 1)[0], []).append(entry)
        stray = set(self.saved_search) - set(self.search_order)
        if stray:  # an entry of no page: the order of a full build cannot be kept, so build it all next time
            log.info("handbok: sökindexet har poster utan sida (%s); nästa bygge blir fullständigt", sorted(stray)[0])
            self.pending = None


def _edit_root(config: MkDocsConfig, root: Path) -> str | None:
    """The forge's editor address of the repository's root (``core.site_config.edit_root``)."""
    docs = Path(config.docs_dir).resolve()
    try:
        docs_dir = docs.relative_to(root).as_posix()
    except ValueError:
        docs_dir = docs.name
    found = edit_root(config.repo_url, config.edit_uri, docs_dir)
    if found is None and config.repo_url and config.edit_uri:
        log.info("handbok: edit_uri slutar inte på %s/, så rutinsidorna får ingen knapp för att föreslå ändringar",
                 docs_dir)
    return found
