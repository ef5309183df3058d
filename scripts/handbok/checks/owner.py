"""Rutinägare: finns rollen, och kan läsaren nå den?"""

from __future__ import annotations

from ..core.handbook import Handbook
from ..problems import Severity
from .registry import BuildContext, problem_at, rule


@rule("RH201", "ägare", "rutinägarens roll finns inte i rollregistret")
def owner_exists(handbook: Handbook, context: BuildContext):
    """Fältet `owner` ska vara id för en roll i rollregistret
    `routines/register/roller.yml`. Rutinägaren ansvarar för innehållet, visas
    i rutinens metadataruta och tillfrågas som granskare i pull requests.

    Rätta: Skriv id för en befintlig roll (se rollregistret), eller lägg till
    rollen i `roller.yml` om den saknas. Ange en roll, inte en person.

    Exempel:
        owner: enhetschef-ekonomiskt-bistand
    """
    for source in handbook.routines.values():
        owner = source.routine.owner
        if owner not in handbook.roles:
            yield problem_at(source, "owner", "RH201", f"rutinägaren '{owner}' finns inte i rollregistret",
                           "Ange ett id ur routines/register/roller.yml eller lägg till rollen där.")


@rule("RH202", "ägare", "rutinägarens roll saknar kontaktuppgift")
def owner_has_contact(handbook: Handbook, context: BuildContext):
    """Rollen som äger rutinen har ingen `contact` i rollregistret. Då kan
    läsare inte använda knappen *Kontakta rutinägaren* på rutinens sida.

    Rätta: Lägg till `contact:` med en funktionsbrevlåda för rollen i
    `routines/register/roller.yml` (inte en personlig adress).

    Exempel:
        - id: enhetschef-ekonomiskt-bistand
          name: Enhetschef, ekonomiskt bistånd
          unit: Ekonomiskt bistånd
          contact: ekonomiskt.bistand@kommunen.se
    """
    for source in handbook.routines.values():
        role = handbook.roles.get(source.routine.owner)
        if role is not None and not role.contact:
            yield problem_at(source, "owner", "RH202",
                           f"rollen '{role.id}' saknar kontaktuppgift, så läsare kan inte nå rutinägaren",
                           "Lägg till contact: (en funktionsbrevlåda) för rollen i roller.yml.")


@rule("RH203", "ägare", "en roll i ansvar eller målgrupp finns inte")
def responsibility_roles_exist(handbook: Handbook, context: BuildContext):
    """En roll under `responsibilities` (vem som beslutar, utför, följer upp)
    eller i `audience` finns inte i rollregistret.

    Rätta: Använd id för en roll i `routines/register/roller.yml`, eller lägg
    till rollen där.
    """
    for source in handbook.routines.values():
        for index, item in enumerate(source.routine.responsibilities):
            if item.role not in handbook.roles:
                yield problem_at(source, "responsibilities", "RH203",
                               f"rollen '{item.role}' i ansvar finns inte i rollregistret",
                               "Ange ett id ur routines/register/roller.yml.", Severity.ERROR, index, "role")
        for index, role_id in enumerate(source.routine.audience):
            if role_id not in handbook.roles:
                yield problem_at(source, "audience", "RH203", f"rollen '{role_id}' i audience finns inte i rollregistret",
                               "Ange ett id ur routines/register/roller.yml.", Severity.ERROR, index)
