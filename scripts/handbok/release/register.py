"""Writing the releases register ``routines/register/releaser.yml``.

It is read by ``core.releases``. Entries are only ever appended: the text of
an earlier entry is never rewritten, so an approved release stays
byte-identical in the register too.
"""

from __future__ import annotations

import io
import textwrap

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from .. import model
from ..core.releases import ReleaseRegister

HEADER = """\
# Fastställda versioner av handboken.
#
# Skrivs av 'handbok release approve' när nämnden har fattat beslut.
# Ändra aldrig en post för hand: en fastställd version är oföränderlig, och
# kontrollsummorna används för att upptäcka ändringar efter fastställande.
"""


def _quoted(value: str) -> DoubleQuotedScalarString:
    return DoubleQuotedScalarString(value)


def entry_yaml(release: model.Release) -> str:
    """One register entry as block YAML (a list item), in the model's field order."""
    data = {
        "version": _quoted(release.version),
        "organ": release.organ,
        "date": release.date,
        "reference": _quoted(release.reference),
        "valid_from": release.valid_from,
        "routines": [
            {k: v for k, v in {
                "id": r.id, "title": r.title, "process": r.process, "version": _quoted(r.version),
                "status": r.status, "owner": r.owner, "valid_from": r.valid_from,
                "review_by": r.review_by, "sha256": r.sha256,
            }.items() if v is not None}
            for r in release.routines
        ],
        "diagrams": [{"name": d.name, "sha256": d.sha256} for d in release.diagrams],
    }
    if release.roles:
        data["roles"] = [{"id": r.id, "name": r.name} for r in release.roles]
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = io.StringIO()
    yaml.dump([data], out)
    # Top-level items at column 0, like the other registers; nested lists stay indented.
    return textwrap.dedent(out.getvalue())


def appended_text(register: ReleaseRegister, release: model.Release) -> str:
    """The register's new text: the old text unchanged, the new entry after it."""
    if register.exists:
        old = register.path.read_text(encoding="utf-8")
        if not register.releases:
            # An empty flow list cannot be continued with a block item.
            old = "\n".join(line for line in old.split("\n") if line.strip() != "[]")
    else:
        old = HEADER
    if old and not old.endswith("\n"):
        old += "\n"
    return old + entry_yaml(release)
