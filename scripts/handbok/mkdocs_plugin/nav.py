"""The menu's plain links, rendered once instead of once per page.

With sections and pruning, every routine page still renders the menu section
it belongs to: at a thousand routines that is over a hundred links a page,
each through Material's ``render`` macro in ``partials/nav-item.html`` (some
twenty template steps and a URL filter per link). Rendering the menu is about
a third of the build (see ``bench/RESULTAT.md``).

A link to a page that is not the current page looks the same on every page
apart from its relative address. So the theme's own macro renders the first
such link of a build; that output is split around the address and the title,
and the next links are put together from the parts with the address from
MkDocs' ``url`` filter, exactly as the template would. The first few are also
rendered by the macro and compared; if they differ (another Material version,
a changed template), the fast path switches itself off for the build and every
link goes through the macro again.

Only ``nav-item.html`` as the theme (or an override) provides it is used: its
loop over a section's children gets one call in front of the macro. Links with
an icon, a subtitle or a status, the current page, sections and external
links always go through the macro.
"""

from __future__ import annotations

import logging

from jinja2 import ChoiceLoader, DictLoader, Environment, pass_context
from markupsafe import Markup

from .internals import NAV_ITEM_CALL as CALL
from .internals import NAV_ITEM_TEMPLATE as TEMPLATE
from .internals import nav_item_source

log = logging.getLogger("mkdocs.plugins.handbok")
FAST_CALL = (
    "{% set handbok_link = handbok_nav_link(render, item, path ~ \"_\" ~ loop.index, level + 1, nav_item) %}"
    "{% if handbok_link is none %}" + CALL + "{% else %}{{ handbok_link }}{% endif %}"
)
# Links compared with the macro's own output before the parts are trusted alone.
VERIFY = 3
# Links tried for the parts before the fast path gives up for the build.
MAX_UNSPLIT = 20


class NavLinks:
    """The template global ``handbok_nav_link`` for one build."""

    def __init__(self, url_filter) -> None:
        self.url_filter = url_filter
        self.parts: tuple[str, str, str] | None = None
        self.verified = 0
        self.unsplit = 0
        self.disabled = False
        self.fast = 0  # links put together from the parts (read by the tests)

    @staticmethod
    def _plain(item, page) -> bool:
        if not getattr(item, "is_page", False) or item is page or item == page or item.active:
            return False
        if getattr(item, "children", None) or getattr(item, "encrypted", False) or getattr(item, "typeset", None):
            return False
        meta = item.meta or {}
        return not (meta.get("icon") or meta.get("subtitle") or meta.get("status")) and bool(item.title)

    @pass_context
    def __call__(self, context, render, item, path, level, parent):
        if self.disabled or not self._plain(item, context.get("page")):
            return None
        href = 'href="%s"' % self.url_filter(context, item.url)
        title = str(item.title)
        if self.parts is None:
            html = str(render(item, path, level, parent))
            self.parts = self._split(html, href, title)
            if self.parts is None:
                # A title such as "nav" also occurs in the markup: try the next link.
                self.unsplit += 1
                if self.unsplit >= MAX_UNSPLIT:
                    self._disable("no link holds its address and title once each")
                return Markup(html)
        before, between, after = self.parts
        html = before + href + between + title + after
        if self.verified < VERIFY:
            self.verified += 1
            if html != str(render(item, path, level, parent)):
                self._disable("a link put together from parts differs from the theme's")
                return None
        else:
            self.fast += 1
        return Markup(html)

    @staticmethod
    def _split(html: str, href: str, title: str) -> tuple[str, str, str] | None:
        if html.count(href) != 1 or html.count(title) != 1:
            return None
        before, rest = html.split(href)
        if title not in rest:
            return None
        between, after = rest.split(title)
        return before, between, after

    def _disable(self, why: str) -> None:
        self.disabled = True
        log.warning("handbok: menyns snabba väg är avstängd för det här bygget (%s); menyn renderas som "
                    "vanligt, bara långsammare. Stäng av den med fast_nav: false under handbok i mkdocs.yml "
                    "om temat har ändrats med avsikt.", why)


def speed_up(env: Environment) -> NavLinks | None:
    """Install the fast path in ``env``; ``None`` when the theme's template has no known loop."""
    source = nav_item_source(env)
    if source is None:
        return None
    # With autoescape the macro would escape titles that the parts insert as they are.
    if source.count(CALL) != 1 or "url" not in env.filters or env.autoescape:
        log.warning("handbok: %s har inte den väntade loopen, så menyns snabba väg används inte (menyn "
                    "renderas som vanligt). Stäng av den med fast_nav: false under handbok i mkdocs.yml.", TEMPLATE)
        return None
    links = NavLinks(env.filters["url"])
    env.globals["handbok_nav_link"] = links
    env.loader = ChoiceLoader([DictLoader({TEMPLATE: source.replace(CALL, FAST_CALL)}), env.loader])
    return links
