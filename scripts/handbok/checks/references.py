"""Referenser: lagrum, relaterade rutiner och revisionsrekommendationer."""

from __future__ import annotations

from ..handbook import Handbook
from ..problems import Severity
from . import CheckContext, _problem, rule


@rule("RH403", "referenser", "lagrummet finns inte i lagrumsregistret")
def legal_basis_exists(handbook: Handbook, context: CheckContext):
    for source in handbook.routines.values():
        for index, ref in enumerate(source.routine.legal_basis):
            if ref not in handbook.legal:
                yield _problem(source, "legal_basis", "RH403", f"lagrummet '{ref}' finns inte i lagrum.yml",
                               "Ange ett id ur routines/register/lagrum.yml.", Severity.ERROR, index)


@rule("RH404", "referenser", "lagrummet gällde inte när rutinen började gälla")
def legal_basis_in_force(handbook: Handbook, context: CheckContext):
    for source in handbook.routines.values():
        day = source.routine.valid_from or context.today
        for index, ref in enumerate(source.routine.legal_basis):
            legal = handbook.legal.get(ref)
            if legal is None or legal.in_force_on(day):
                continue
            replacement = handbook.legal.get(legal.replaced_by or "")
            hint = (f"Hänvisa till {replacement.citation} ({replacement.id}) i stället."
                    if replacement else "Hänvisa till den bestämmelse som gäller.")
            yield _problem(source, "legal_basis", "RH404",
                           f"{legal.citation} gällde inte den {day} (upphävd {legal.in_force_to})" if legal.in_force_to
                           else f"{legal.citation} gällde inte den {day}", hint, Severity.ERROR, index)


@rule("RH405", "referenser", "relaterad rutin finns inte")
def related_exists(handbook: Handbook, context: CheckContext):
    for source in handbook.routines.values():
        for index, ref in enumerate(source.routine.related):
            if ref not in handbook.routines:
                yield _problem(source, "related", "RH405", f"den relaterade rutinen '{ref}' finns inte",
                               "Ange id för en befintlig rutin (filnamnet utan .md).", Severity.ERROR, index)


@rule("RH406", "referenser", "revisionsrekommendationen finns inte")
def answers_exist(handbook: Handbook, context: CheckContext):
    for source in handbook.routines.values():
        for index, ref in enumerate(source.routine.answers):
            if ref not in handbook.findings:
                yield _problem(source, "answers", "RH406", f"rekommendationen '{ref}' finns inte i revisionsfynd.yml",
                               "Ange ett id ur routines/register/revisionsfynd.yml.", Severity.ERROR, index)
