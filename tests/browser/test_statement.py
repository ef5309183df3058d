"""The accessibility statement (tillgänglighetsredogörelse): content DIGG requires, linked from every page."""

from __future__ import annotations

import re
from urllib.parse import unquote, urljoin

import pytest
from bs4 import BeautifulSoup
from .browsing import REPO

from handbok.core.loader import load_handbook

pytestmark = pytest.mark.browser

STATEMENT = "tillganglighet/"


@pytest.fixture(scope="module")
def statement(site_dir) -> BeautifulSoup:
    return BeautifulSoup((site_dir / STATEMENT / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_statement_has_what_digg_requires(statement):
    article = statement.select_one("article")
    text = re.sub(r"\s+", " ", article.get_text(" "))
    # The service, its compliance status and what is not accessible, with reasons.
    assert "Rutinhandboken" in article.select_one("h1").get_text()
    assert re.search(r"\b(helt|delvis|inte) förenlig\b", text)
    headings = [h.get_text(" ", strip=True).rstrip("¶ ") for h in article.select("h2")]
    assert "Vad är inte tillgängligt?" in headings
    known = next(h for h in article.select("h2") if h.get_text().startswith("Vad är inte"))
    assert known.find_next("ul").select("li")
    # When and how it was assessed: the tests of this repository.
    assert re.search(r"Bedömningen gjordes senast den \*?\*?\d{1,2} \w+ \d{4}", text)
    assert "axe-core" in text and "WCAG 2.1" in text and "tangentbord" in text.lower()
    # Feedback to a role's mailbox from the roles register, and DIGG's reporting form.
    mail = article.select_one("a[href^='mailto:']")["href"]
    contacts = {role.contact for role in load_handbook(REPO).roles.values()}
    assert unquote(mail.removeprefix("mailto:").split("?")[0]) in contacts
    assert article.select_one("a[href='https://www.digg.se/tdosanmalan']")


def test_statement_is_in_the_navigation(statement):
    assert any(a.get_text(strip=True) in ("Tillgänglighet", "Tillgänglighetsredogörelse")
               for a in statement.select("nav.md-nav--primary a"))


def test_every_page_links_to_the_statement_from_its_footer(static_visits, static_browsing, site_dir):
    base = static_browsing.base_url
    for url in static_visits:
        path = site_dir / url / "index.html" if not url.endswith(".html") else site_dir / url
        if not path.is_file():
            path = site_dir / "404.html"  # the missing page gets the 404 page
            url = "finns-inte/alls/"
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        links = [a for a in soup.select("footer a") if a.get_text(strip=True) == "Tillgänglighetsredogörelse"]
        assert len(links) == 1, url
        assert urljoin(base + url, links[0]["href"]) == base + STATEMENT, (url, links[0]["href"])


def test_footer_link_is_visible_and_reaches_the_statement(static_browsing, static_visits):
    page = static_browsing.page
    static_browsing.visit("rutiner/")
    link = page.locator("footer a", has_text="Tillgänglighetsredogörelse")
    assert link.is_visible()
    with page.expect_navigation():
        link.click()
    assert page.url == static_browsing.base_url + STATEMENT
    assert page.locator("article h1").inner_text().startswith("Tillgänglighetsredogörelse")
