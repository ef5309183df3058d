"""Where a handbook's files are, relative to its root."""

ROUTINES_DIR = "routines"
REGISTER_DIR = "routines/register"
DIAGRAMS_DIR = "diagrams"
DOCS_DIR = "docs"

OUTSIDE_HINT = "Lägg filen i handbokens mapp i stället för att länka till den; bara handbokens egna filer publiceras."


def outside_message(path) -> str:
    """Why a file linked from outside the handbook is not read (RH009)."""
    return "filen är en symbolisk länk till en plats utanför handboken och publiceras inte"
