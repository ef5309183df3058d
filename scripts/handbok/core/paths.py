"""Where a handbook's files are, relative to its root."""

ROUTINES_DIR = "routines"
REGISTER_DIR = "routines/register"
DIAGRAMS_DIR = "diagrams"
DOCS_DIR = "docs"
