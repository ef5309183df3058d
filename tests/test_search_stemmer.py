"""The Swedish query stemmer of the site search (docs/assets/javascripts/sok.js), run in Node.

The file is the one the site loads; Node runs it as a CommonJS module. The
browser tests check the same code in Chromium against the real search index.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

SOK = Path(__file__).resolve().parent.parent / "docs" / "assets" / "javascripts" / "sok.js"

STEMS = {
    # Definite and plural forms of nouns reduce to a prefix of every form.
    "uppföljningen": "uppföljning",
    "uppföljningar": "uppföljning",
    "uppföljningarna": "uppföljning",
    "anvisningen": "anvisning",
    "lönestödet": "lönestöd",
    "insatsen": "insats",
    "insatser": "insats",
    "insatserna": "insats",
    "handläggaren": "handlägg",
    "handläggare": "handlägg",
    "kvinnorna": "kvinn",
    "skolan": "skol",
    "planen": "plan",
    "lönen": "lön",
    # Base forms that must not lose their last letters.
    "uppföljning": "uppföljning",
    "lönestöd": "lönestöd",
    "plan": "plan",
    "lön": "lön",
    # Verbs and adjectives.
    "anvisade": "anvis",
    "anvisas": "anvis",
    "ekonomiskt": "ekonomisk",
    "ekonomiska": "ekonomisk",
    # Short words, abbreviations, numbers and case.
    "osa": "osa",
    "AF": "af",
    "SoL": "sol",
    "Uppföljningen": "uppföljning",
    "2025:400": "2025:400",
    "24-timmars": "24-timmars",
}

TRANSFORMS = {
    "uppföljningen": "uppföljning",
    "  lönestödet  anvisningen ": "  lönestöd  anvisning ",
    # Material gives required/prohibited words and quoted phrases no wildcard: add it to the stem.
    "+lönestödet -anvisningen": "+lönestöd* -anvisning*",
    '"uppföljningen av"': '"uppföljning* av*"',
    # Lunr syntax is left as typed.
    "title:uppföljningen osa~1 anvis* insats^2": "title:uppföljningen osa~1 anvis* insats^2",
    "": "",
}

# Decomposed å/ä/ö (as macOS may send them) are composed before stemming.
DECOMPOSED = "lo\u0308nesto\u0308det"


@pytest.fixture(scope="module")
def run_node():
    node = shutil.which("node")
    if node is None:
        pytest.fail("node saknas: kör 'make system-deps' (installerar Debians nodejs och npm)")

    def run(function: str, values: list[str]) -> list[str]:
        script = (f"const sok = require({json.dumps(str(SOK))});"
                  f"const values = JSON.parse(process.argv[1]);"
                  f"process.stdout.write(JSON.stringify(values.map((v) => sok.{function}(v))));")
        output = subprocess.run([node, "-e", script, json.dumps(values)], check=True, capture_output=True, text=True)
        return json.loads(output.stdout)

    return run


def test_stems(run_node):
    words = list(STEMS)
    assert dict(zip(words, run_node("stem", words))) == STEMS


def test_every_form_starts_with_the_stem_of_the_others(run_node):
    # What makes the prefix search work: any form's stem is a prefix of all forms.
    families = [
        ["uppföljning", "uppföljningen", "uppföljningar", "uppföljningarna", "uppföljningens"],
        ["lönestöd", "lönestödet", "lönestöden", "lönestödets"],
        ["anvisning", "anvisningen", "anvisningar", "anvisningarna"],
        ["insats", "insatsen", "insatser", "insatserna"],
    ]
    for family in families:
        for stem in run_node("stem", family):
            assert all(form.startswith(stem) for form in family), (stem, family)


def test_query_transform(run_node):
    queries = list(TRANSFORMS)
    assert dict(zip(queries, run_node("transform", queries))) == TRANSFORMS


def test_decomposed_letters_are_composed(run_node):
    assert run_node("stem", [DECOMPOSED]) == ["lönestöd"]
