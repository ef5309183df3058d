"""The pages every build generates from the handbook's data, and their generators.

The table ``PAGES`` says which pages exist (source URI, title, what the page
answers), in the order the build adds them; it is the core's, so the checker knows these addresses without
importing the pages. ``handbok.pages`` attaches a generator to each with
``@generated(uri)``. A generator takes the loaded handbook and the page's own
source URI, and the ``BuildContext`` as keyword ``context`` if it needs the
build's day or settings; it returns Markdown. Generated pages are never
committed: they are rebuilt from the data each time, and a file in ``docs/``
at the same URI wins.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Callable

from .context import BuildContext
from .handbook import Handbook


ROUTINE_SOURCES = ("routines/", "diagrams/")


@dataclass(frozen=True)
class GeneratedPage:
    uri: str
    title: str
    purpose: str
    register: bool = False  # listed in the Register section's index
    # Where the page's content comes from (paths or folders relative to the root): the
    # page last changed when one of them did (the sitemap's lastmod).
    sources: tuple[str, ...] = ROUTINE_SOURCES
    # The one file an editor changes to change the page ("Föreslå ändring"), if there is one.
    edit_file: str | None = None
    # What search indexes of the page: "all" of it; "no-lists": not its lists (of routines);
    # "prose": its headings and text, not its lists and tables of routines. Each routine is
    # found on its own page (mkdocs_plugin/search.py).
    search: str = "all"


PAGES: dict[str, GeneratedPage] = {page.uri: page for page in (
    GeneratedPage("register/index.md", "Register", "Vad varje register svarar på."),
    GeneratedPage("register/rutinregister.md", "Rutinregister",
                  "Alla rutiner med ägare, status, version och datum.", True, search="prose"),
    GeneratedPage("register/ansvarsfordelning.md", "Ansvarsfördelning",
                  "Vad varje roll äger, beslutar, utför och följer upp.", True, search="prose"),
    GeneratedPage("register/revideringsplan.md", "Revideringsplan",
                  "När varje rutin ska revideras; försenade först.", True, search="prose"),
    GeneratedPage("register/lagrum.md", "Lagrum",
                  "Vilka rutiner som vilar på varje bestämmelse; upphävda lagrum markerade.", True,
                  edit_file="routines/register/lagrum.yml", search="no-lists"),
    GeneratedPage("register/revisionssparning.md", "Revisionsspårning",
                  "Varje rekommendation från granskningarna och de rutiner som besvarar den.", True,
                  edit_file="routines/register/revisionsfynd.yml", search="no-lists"),
    GeneratedPage("register/senast-andrade.md", "Senast ändrade", "De senaste ändringarna i rutinerna.", True,
                  search="prose"),
    GeneratedPage("register/etiketter.md", "Etiketter", "Rutinerna efter process, målgrupp och roll.", True,
                  search="prose"),
    GeneratedPage("beslut-och-versioner.md", "Beslut och versioner",
                  "Varje fastställd version och vad som gällde en viss dag.",
                  sources=("routines/register/releaser.yml", "beslutsunderlag/"), search="prose"),
    GeneratedPage("rutiner/index.md", "Rutiner", "Alla rutiner efter processens steg.", search="prose"),
    GeneratedPage("begrepp.md", "Begrepp", "Ord och förkortningar som används i rutinerna.", True,
                  sources=("routines/register/begrepp.yml",), edit_file="routines/register/begrepp.yml"),
    GeneratedPage("redaktor/kontroller.md", "Kontrollkoder", "Varje kod som handbok check kan rapportera.",
                  sources=("scripts/handbok/checks/",)),
)}

Generator = Callable[..., str]
GENERATORS: dict[str, Generator] = {}


def generated(uri: str):
    """Attach the decorated function as the generator of the declared page ``uri``."""
    if uri not in PAGES:
        raise ValueError(f"generated page {uri} is not declared in core.generated.PAGES")

    def register(function: Generator) -> Generator:
        GENERATORS[uri] = function
        return function

    return register


def register_pages() -> list[GeneratedPage]:
    """The pages of the Register section, in the order its index lists them."""
    return [page for page in PAGES.values() if page.register]


def render_page(generator: Generator, handbook: Handbook, page_uri: str, context: BuildContext | None = None) -> str:
    """Run one generator, passing ``context`` if it takes one."""
    if "context" in inspect.signature(generator).parameters:
        return generator(handbook, page_uri, context=context or BuildContext())
    return generator(handbook, page_uri)
