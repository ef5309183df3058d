"""``make serve`` rebuilds what an edit affects, and the site is what a full build gives.

The builds run as ``mkdocs serve --dirty`` runs them (one set of plugins kept from
build to build, the site folder kept, ``dirty=True``); after each sequence of edits
every file of the served folder is compared with a fresh full build of the same
sources. The speed is measured in ``make bench``, not here.
"""

from __future__ import annotations

import contextlib
import filecmp
import json
import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURE_TODAY, REPO, checks_bypassed, prepare_project

SERVE_URL = "http://127.0.0.1:8000/"
NAV = [{"Start": "index.md"}, {"Rutiner": "rutiner/index.md"},
       {"Register": ["register/index.md", {"Rutinregister": "register/rutinregister.md"},
                     {"Etiketter": "register/etiketter.md"}]}]


class Serve:
    """The builds of one ``mkdocs serve --dirty --strict`` session."""

    def __init__(self, project: Path, site_dir: Path, nav: list | None = NAV):
        self.project, self.site_dir, self.nav = project, site_dir, nav
        self.config = self._config()
        self.config.plugins.on_startup(command="serve", dirty=True)
        self.log: list[str] = []
        self.records: list[str] = []

    def _config(self):
        from mkdocs.config import load_config

        options = {"nav": self.nav} if self.nav is not None else {}
        config = load_config(str(self.project / "mkdocs.yml"), site_dir=str(self.site_dir), strict=True, **options)
        config.plugins["handbok"].config.today = FIXTURE_TODAY
        config.site_url = SERVE_URL
        return config

    def build(self) -> list[str]:
        """One rebuild; returns what the handbok plugin logged."""
        from mkdocs.commands.build import build

        records: list[str] = []
        handler = logging.Handler()
        handler.emit = lambda record: records.append(record.getMessage())
        logger = logging.getLogger("mkdocs")
        level = logger.level
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        try:
            with checks_bypassed("RH605"):
                build(self._config(), serve_url=SERVE_URL, dirty=True)
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)
            self.records = records  # everything MkDocs logged, also when the build failed
        self.log = [r for r in records if r.startswith("handbok:")]
        return self.log

    def close(self) -> None:
        self.config.plugins.on_shutdown()


@contextlib.contextmanager
def serving(project: Path, site_dir: Path, nav: list | None = NAV):
    session = Serve(project, site_dir, nav)
    try:
        yield session
    finally:
        session.close()


FRESH_BUILD = """
import json, os, sys
if os.environ.get("HANDBOK_ENGINE") == "properdocs":
    import properdocs.replacement  # the same engine as the served session (tests/conftest.py)
from mkdocs.commands.build import build
from mkdocs.config import load_config
from handbok.checks import registry

registry.RULES.pop("RH605")
project, site_dir, nav, today, url = sys.argv[1:]
options = {"nav": json.loads(nav)} if json.loads(nav) is not None else {}
config = load_config(project + "/mkdocs.yml", site_dir=site_dir, strict=True, **options)
config.plugins["handbok"].config.today = today
config.site_url = url
config.plugins.on_startup(command="serve", dirty=True)
try:
    build(config, serve_url=url, dirty=True)
finally:
    config.plugins.on_shutdown()
"""


def fresh_build(project: Path, site_dir: Path, nav: list | None = NAV) -> Path:
    """The first build of a new 'mkdocs serve --dirty' (in a process of its own: the plugins
    MkDocs keeps between builds are the served session's here)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "scripts"), os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run([sys.executable, "-c", FRESH_BUILD, str(project), str(site_dir), json.dumps(nav),
                             FIXTURE_TODAY, SERVE_URL], env=env, capture_output=True, text=True, cwd=project)
    assert result.returncode == 0, result.stderr[-3000:]
    return site_dir


def differences(left: Path, right: Path) -> list[str]:
    """Every file that is not the same in both folders (missing, extra or other bytes)."""
    found = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        found.extend(f"{prefix}{name} (bara i serve)" for name in cmp.left_only)
        found.extend(f"{prefix}{name} (bara i det fulla bygget)" for name in cmp.right_only)
        for name in cmp.common_files:
            if (Path(cmp.left) / name).read_bytes() != (Path(cmp.right) / name).read_bytes():
                found.append(prefix + name)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(left, right), "")
    return found


def edit(path: Path, old: str | None, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old is None:
        text = text.rstrip("\n") + "\n\n" + new + "\n"
    else:
        assert old in text, (path, old)
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


DRAFT_MAP = """flowchart TD
    accTitle: Uppföljningens flöde
    accDescr: Från planerad uppföljning till dokumenterat resultat.
    a([Uppföljning planeras]) --> b[Uppföljningsmöte]
    b --> c([Resultatet dokumenteras])
"""


@pytest.fixture()
def project(tmp_path):
    """The 'grund' fixture, with a process map of its own for the draft and a second draft (an
    approved routine's text cannot change without a new release: RH801)."""
    root = prepare_project("grund", tmp_path)
    (root / "diagrams" / "utkast.mmd").write_text(DRAFT_MAP, encoding="utf-8")
    draft = root / "routines" / "utkast-rutin.md"
    (root / "routines" / "andra-utkastet.md").write_text(draft.read_text(encoding="utf-8").replace(
        "id: utkast-rutin", "id: andra-utkastet").replace("title: Uppföljning av insats", "title: Andra utkastet"),
        encoding="utf-8")
    edit(draft, "version: \"0.1\"", "version: \"0.1\"\ndiagram: utkast.mmd")
    return root


def _page(site: Path, routine_id: str) -> str:
    found = list((site / "rutiner").glob(f"*/{routine_id}/index.html"))
    assert len(found) == 1, routine_id
    return found[0].read_text(encoding="utf-8")


def test_an_edited_routine_text_rebuilds_its_page_only_and_the_site_is_a_full_builds(project, tmp_path):
    served = tmp_path / "serve"
    routines = project / "routines"
    with serving(project, served) as session:
        assert not any("byggs om" in line for line in session.build())  # the first build: all of it
        before = {p: p.stat().st_mtime_ns for p in served.rglob("*.html")}

        edit(routines / "utkast-rutin.md", None, "Ett nytt stycke om uppföljningsmötet.")
        log = session.build()
        assert any("bara texten i" in line and "utkast-rutin.md" in line and "1 sida byggs om" in line
                   for line in log), log
        assert "Ett nytt stycke om uppföljningsmötet." in _page(served, "utkast-rutin")
        # Written again: the page, and the theme's error page (MkDocs writes its templates in every build).
        rewritten = {p.relative_to(served).as_posix() for p, mtime in before.items() if p.stat().st_mtime_ns != mtime}
        assert rewritten == {next(served.glob("rutiner/*/utkast-rutin/index.html")).relative_to(served).as_posix(),
                             "404.html"}
        assert differences(served, fresh_build(project, tmp_path / "full-1")) == []

        # Two routines, one of them twice, and a heading of its own (a new entry in the search index).
        edit(routines / "utkast-rutin.md", "Ett nytt stycke", "Ett ändrat stycke")
        edit(routines / "andra-utkastet.md", None, "## Egen rubrik\n\nText under en egen rubrik.")
        log = session.build()
        assert any("2 sidor byggs om" in line for line in log), log
        docs = json.loads((served / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
        index = " ".join(doc["title"] + " " + doc["text"] for doc in docs)
        assert "Egen rubrik" in index and "Ett ändrat stycke" in index and "Ett nytt stycke" not in index
        assert differences(served, fresh_build(project, tmp_path / "full-2")) == []


@pytest.mark.parametrize(("path", "old", "new", "reason"), [
    ("routines/utkast-rutin.md", "title: Uppföljning av insats", "title: Uppföljning av insatser",
     "det som andra sidor visar om rutinen utkast-rutin"),
    ("diagrams/utkast.mmd", "b[Uppföljningsmöte]", "b[Uppföljningssamtal]", "diagrams/utkast.mmd ändrades"),
    ("routines/register/roller.yml", None, "# en kommentar", "routines/register/roller.yml ändrades"),
    ("docs/index.md", None, "Ett nytt stycke på startsidan.", "docs/index.md ändrades"),
    ("mkdocs.yml", None, "# en kommentar", "mkdocs.yml ändrades"),
])
def test_an_edit_others_show_rebuilds_the_whole_site_and_says_why(project, tmp_path, path, old, new, reason):
    served = tmp_path / "serve"
    with serving(project, served) as session:
        session.build()
        edit(project / "routines" / "utkast-rutin.md", None, "Först bara text.")
        assert any("1 sida byggs om" in line for line in session.build())
        edit(project / path, old, new)
        log = session.build()
        assert any(line.startswith("handbok: hela webbplatsen byggs om") and reason in line for line in log), log
        assert differences(served, fresh_build(project, tmp_path / "full")) == []


def test_an_added_and_removed_routine_leaves_no_page_behind(project, tmp_path):
    served = tmp_path / "serve"
    draft = (project / "routines" / "utkast-rutin.md").read_text(encoding="utf-8")
    added = project / "routines" / "ny-rutin.md"
    with serving(project, served) as session:
        session.build()
        added.write_text(draft.replace("id: utkast-rutin", "id: ny-rutin").replace(
            "title: Uppföljning av insats", "title: En ny rutin"), encoding="utf-8")
        log = session.build()
        assert any(line.startswith("handbok: hela webbplatsen byggs om") for line in log), log
        assert list(served.glob("rutiner/*/ny-rutin/index.html"))
        added.unlink()
        log = session.build()
        assert any(line.startswith("handbok: hela webbplatsen byggs om") for line in log), log
        assert not list(served.glob("rutiner/*/ny-rutin"))
        assert differences(served, fresh_build(project, tmp_path / "full")) == []


def test_a_failed_build_is_followed_by_a_full_one(project, tmp_path):
    from mkdocs.exceptions import Abort

    served = tmp_path / "serve"
    with serving(project, served) as session:
        session.build()
        path = project / "routines" / "utkast-rutin.md"
        good = path.read_text(encoding="utf-8")
        edit(path, "status: utkast", "status: okänd")
        with pytest.raises((Abort, Exception)):
            session.build()
        path.write_text(good.rstrip("\n") + "\n\nRättad.\n", encoding="utf-8")
        log = session.build()
        assert any(line.startswith("handbok: hela webbplatsen byggs om") for line in log) or \
            not any("byggs om" in line for line in log), log
        assert "Rättad." in _page(served, "utkast-rutin")
        assert differences(served, fresh_build(project, tmp_path / "full")) == []


def test_a_plain_build_is_unchanged(project, tmp_path):
    """Outside 'mkdocs serve --dirty' the plugin builds everything, as before."""
    from conftest import build_project

    with checks_bypassed("RH605"):
        site = build_project(project, nav=NAV, today=FIXTURE_TODAY)
    assert site.plugin.serving is False and site.plugin.snapshot is None
    assert re.search(r"<title>[^<]+</title>", site.html("rutiner/"))


def test_the_real_handbook_rebuilt_after_an_edit_is_a_full_builds(tmp_path):
    """The repository's own handbook (its docs pages, the code reference mkdocstrings writes, the
    editor guide's markers), copied without its history: a draft's text edited twice."""
    project = tmp_path / "handbok"
    project.mkdir()
    for name in ("routines", "diagrams", "docs", "beslutsunderlag"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, project / name)
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    for name in ("overrides", "scripts"):
        (project / name).symlink_to(REPO / name)
    draft = next(p for p in sorted((project / "routines").glob("*.md"))
                 if re.search(r"^status: utkast$", p.read_text(encoding="utf-8"), re.MULTILINE))
    served = tmp_path / "serve"
    nav = None  # the repository's own menu
    with serving(project, served, nav=nav) as session:
        session.build()
        for number in range(2):
            edit(draft, None, f"Ett stycke som bara förhandsgranskningen har sett, nummer {number}.")
            log = session.build()
            assert any("1 sida byggs om" in line for line in log), log
        assert differences(served, fresh_build(project, tmp_path / "full", nav=nav)) == []


BROKEN = {  # a text edit per draft that each kind of check finds: per routine and between routines
    "utkast-rutin.md": ("Ett utkast.", "Ett utkast. <script>alert(1)</script> Se [en rutin](finns-inte.md).\u200b"),
    "andra-utkastet.md": ("Ett utkast.", "Ett utkast. Se [uppföljningen](utkast-rutin.md#finns-inte)."),
}


def _findings(problems) -> list[dict]:
    return [p.as_dict() for p in problems]


def test_the_checks_of_reloaded_routines_are_a_full_runs(project):
    """A rebuild reads only the edited routines again and runs the per-routine rules on them
    alone: the findings are, in order, those of a fresh load checked in full."""
    from handbok import model
    from handbok.checks import RULES, run_checks
    from handbok.core.context import BuildContext
    from handbok.core.loader import load_handbook, reload_routines

    def context():
        return BuildContext(today=model.parse_date(FIXTURE_TODAY))

    with checks_bypassed("RH605"):
        assert any(r.per_routine for r in RULES.values()) and any(not r.per_routine for r in RULES.values())
        handbook, found = load_handbook(project), {}
        run_checks(handbook, context(), in_build=True, found=found)
        paths = [project / "routines" / name for name in BROKEN]
        originals = {path: path.read_text(encoding="utf-8") for path in paths}
        for path in paths:
            edit(path, *BROKEN[path.name])
        for round_ in ("broken", "fixed"):
            edited = reload_routines(handbook, paths)
            assert sorted(edited) == ["andra-utkastet", "utkast-rutin"]
            got = run_checks(handbook, context(), in_build=True, found=found, edited=set(edited))
            fresh = load_handbook(project)
            want = run_checks(fresh, context(), in_build=True)
            assert _findings(got) == _findings(want)
            assert _findings(handbook.problems) == _findings(sorted(fresh.problems)) or \
                sorted(_findings(handbook.problems), key=str) == sorted(_findings(fresh.problems), key=str)
            codes = {p.code for p in got if p.path.endswith(("utkast-rutin.md", "andra-utkastet.md"))}
            if round_ == "broken":
                assert {"RH601", "RH407", "RH408", "RH609"} <= codes, codes
                for path, text in originals.items():
                    path.write_text(text.rstrip("\n") + "\n\nRättad.\n", encoding="utf-8")
            else:
                assert not {"RH601", "RH407", "RH408", "RH609"} & codes, codes


def test_a_routine_whose_id_changed_is_not_reloaded(project):
    from handbok.core.loader import load_handbook, reload_routines

    handbook = load_handbook(project)
    path = project / "routines" / "andra-utkastet.md"
    before = handbook.routines["andra-utkastet"]
    edit(path, "id: andra-utkastet", "id: ett-annat-id")
    assert reload_routines(handbook, [path]) is None
    assert handbook.routines["andra-utkastet"] is before
    assert reload_routines(handbook, [project / "routines" / "register" / "roller.yml"]) is None


def test_a_broken_link_in_an_edit_fails_the_rebuild_as_a_full_build_and_the_fix_recovers(project, tmp_path):
    from mkdocs.exceptions import Abort

    from handbok import model
    from handbok.checks import run_checks
    from handbok.core.context import BuildContext
    from handbok.core.loader import load_handbook

    served = tmp_path / "serve"
    path = project / "routines" / "andra-utkastet.md"
    good = path.read_text(encoding="utf-8")
    with serving(project, served) as session:
        session.build()
        edit(path, "Ett utkast.", "Ett utkast. Se [en rutin](finns-inte.md).")
        with pytest.raises((Abort, Exception)):
            session.build()
        with checks_bypassed("RH605"):
            full = run_checks(load_handbook(project), BuildContext(today=model.parse_date(FIXTURE_TODAY)),
                              in_build=True)
        errors = [p.format() for p in full if p.is_error]
        assert errors and all(p.code == "RH407" and p.path.endswith("andra-utkastet.md") for p in full if p.is_error)
        logged = [line.split("\n")[0] for line in session.records if line.startswith("routines/")]
        assert [line for line in logged if "RH407" in line] == errors
        path.write_text(good.rstrip("\n") + "\n\nRättad.\n", encoding="utf-8")
        session.build()
        assert "Rättad." in _page(served, "andra-utkastet")
        assert differences(served, fresh_build(project, tmp_path / "full")) == []
        edit(path, "Rättad.", "Rättad igen.")
        assert any("1 sida byggs om" in line for line in session.build())
        assert differences(served, fresh_build(project, tmp_path / "full-2")) == []


def test_compiled_templates_follow_their_source_and_the_environment(tmp_path):
    import jinja2

    from handbok.mkdocs_plugin.plugin import _TemplateCode

    code = _TemplateCode()
    template = tmp_path / "sida.html"

    def render(**options) -> str:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), **options)
        code.use_in(env)
        return env.get_template("sida.html").render(namn="<b>")

    template.write_text("Hej {{ namn }}", encoding="utf-8")
    assert render() == "Hej <b>" and code.code
    template.write_text("Hejsan {{ namn }}", encoding="utf-8")
    assert render() == "Hejsan <b>"
    assert render(autoescape=True) == "Hejsan &lt;b&gt;"
    assert render() == "Hejsan <b>"


def test_the_installed_themes_files_are_listed_once_and_the_projects_own_every_build(project, tmp_path):
    (project / "overrides").unlink()
    shutil.copytree(REPO / "overrides", project / "overrides")  # the project's own, to add a file to
    served = tmp_path / "serve"
    with serving(project, served) as session:
        session.build()
        listing = session.config.plugins["handbok"].theme_listing
        assert listing.listings == 1 and "assets/javascripts/bundle.min.js" not in listing.names
        assert any(name.startswith("assets/javascripts/bundle.") for name in listing.names)
        edit(project / "routines" / "utkast-rutin.md", None, "Ett nytt stycke.")
        session.build()
        assert listing.listings == 1  # Material's and MkDocs' folders were not listed again
        extra = project / "overrides" / "assets" / "handbok-extra.txt"
        extra.parent.mkdir(exist_ok=True)
        extra.write_text("en fil i temat\n", encoding="utf-8")
        edit(project / "routines" / "utkast-rutin.md", None, "Ett stycke till.")
        session.build()
        assert listing.listings == 2
        assert (served / "assets" / "handbok-extra.txt").read_text(encoding="utf-8") == "en fil i temat\n"
        assert differences(served, fresh_build(project, tmp_path / "full")) == []
