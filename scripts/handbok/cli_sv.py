"""Click's own texts in Swedish: usage, help headings and error messages.

Click marks every text it prints with ``gettext`` (``from gettext import
gettext as _`` in each module) but ships no translations. Editors read these
texts (``Användning:``, ``Fel: …``), so the ``handbok`` command gives Click a
Swedish catalogue: ``install()`` points the ``_`` and ``ngettext`` names of
Click's modules at it. Only the ``handbok`` process is affected; MkDocs' own
command is left as it is.

A test reads Click's modules and fails if Click has a text this catalogue
lacks, so an upgrade of Click cannot quietly bring English back.
"""

from __future__ import annotations

import gettext
import importlib

MODULES = ("click.core", "click.exceptions", "click.formatting", "click.parser", "click.types",
           "click.decorators", "click.termui", "click.utils")

MESSAGES = {
    # Help and usage
    "Usage:": "Användning:",
    "Options": "Flaggor",
    "Commands": "Kommandon",
    "Positional arguments": "Argument",
    "Show this message and exit.": "Visa den här hjälpen och avsluta.",
    "Show the version and exit.": "Visa versionen och avsluta.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "env var: {var}": "miljövariabel: {var}",
    "default: {default}": "standard: {default}",
    "(dynamic)": "(beräknas)",
    "deprecated": "utgår",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}":
        "Varning: kommandot {name!r} utgår.{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}":
        "Varning: {param_type} {name!r} utgår.{extra_message}",
    # Errors in a call
    "Error: {message}": "Fel: {message}",
    "Try '{command} {option}' for help.": "Skriv '{command} {option}' för hjälp.",
    "Aborted!": "Avbrutet.",
    "Missing command.": "Kommando saknas.",
    "Missing argument": "Saknat argument",
    "Missing option": "Saknad flagga",
    "Missing parameter": "Saknat värde",
    "Missing parameter: {param_name}": "Saknat värde: {param_name}",
    "Missing {param_type}": "Saknas: {param_type}",
    "No such option {name!r}.": "Flaggan {name!r} finns inte.",
    "No such command {name!r}.": "Kommandot {name!r} finns inte.",
    "Invalid value for {param_hint}: {message}": "Ogiltigt värde för {param_hint}: {message}",
    "Invalid value: {message}": "Ogiltigt värde: {message}",
    "unknown error": "okänt fel",
    "Could not open file {filename!r}: {message}": "Kunde inte öppna filen {filename!r}: {message}",
    "Option {name!r} does not take a value.": "Flaggan {name!r} tar inget värde.",
    "Argument {name!r} takes {nargs} values.": "Argumentet {name!r} tar {nargs} värden.",
    "Invalid start character for option ({option})": "Ogiltigt första tecken i flaggan ({option})",
    "Value must be an iterable.": "Värdet måste vara en lista.",
    # Values
    "file": "fil",
    "directory": "mapp",
    "path": "sökväg",
    "Choose from:\n\t{choices}": "Välj bland:\n\t{choices}",
    "Choice({choices})": "Val({choices})",
    "{value} is not in the range {range}.": "{value} ligger inte inom {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} är inget sanningsvärde. Giltiga värden: {states}",
    "{value!r} is not a valid {number_type}.": "{value!r} är inget giltigt {number_type}.",
    "{value!r} is not a valid UUID.": "{value!r} är inget giltigt UUID.",
    "{name} {filename!r} is a file.": "{name} {filename!r} är en fil.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} är en mapp.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} går inte att läsa.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} går inte att skriva till.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} går inte att köra.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} finns inte.",
    # Prompts
    "Do you want to continue?": "Vill du fortsätta?",
    "Confirm the action without prompting.": "Bekräfta utan att fråga.",
    "Press any key to continue...": "Tryck på valfri tangent för att fortsätta …",
    "Repeat for confirmation": "Upprepa för att bekräfta",
    "Error: The two entered values do not match.": "Fel: de två värdena är inte lika.",
    "Error: invalid input": "Fel: ogiltig inmatning",
    # Programming errors (a developer's, but shown in Swedish all the same)
    "Unknown color {colour!r}": "Okänd färg {colour!r}",
    "Unknown standard stream '{name}'": "Okänd standardström '{name}'",
    "Name '{name}' defined twice": "Namnet '{name}' är definierat två gånger",
    "Could not determine name for option with declarations {decls!r}":
        "Kan inte avgöra namnet på flaggan med deklarationerna {decls!r}",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.":
        "Argument tar exakt en deklaration, fick {length}: {decls}.",
    "Boolean option {decl!r} cannot use the same flag for true/false.":
        "Sanningsflaggan {decl!r} kan inte använda samma flagga för sant och falskt.",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument instead? "
    "Did you mean to pass '--{name}'?":
        "Inga flaggor definierade men ett namn angavs ({name}). Menade du ett argument, eller '--{name}'?",
}

# singular -> (Swedish singular, Swedish plural)
PLURALS = {
    "Got unexpected extra argument ({args})": ("Oväntat extra argument ({args})", "Oväntade extra argument ({args})"),
    "Takes {nargs} values but 1 was given.": ("Tar {nargs} värden men 1 angavs.", "Tar {nargs} värden men {len} angavs."),
    "Did you mean {possibility}?": ("Menade du {possibility}?", "(Menade du något av: {possibilities}?)"),
    "Option {name!r} requires an argument.": ("Flaggan {name!r} kräver ett värde.",
                                              "Flaggan {name!r} kräver {nargs} värden."),
    "{value!r} is not {choice}.": ("{value!r} är inte {choice}.", "{value!r} är inte något av {choices}."),
    "{value!r} does not match the format {format}.": ("{value!r} har inte formatet {format}.",
                                                      "{value!r} har inget av formaten {formats}."),
    "{len_type} values are required, but {len_value} was given.": (
        "{len_type} värden krävs, men {len_value} angavs.", "{len_type} värden krävs, men {len_value} angavs."),
}

# Names of Click's value types, used in messages such as "'x' är inget giltigt heltal."
TYPE_NAMES = {"integer": "heltal", "float": "decimaltal", "boolean": "sanningsvärde", "text": "text",
              "uuid": "UUID", "choice": "val", "datetime": "datum och tid", "integer range": "heltal",
              "float range": "decimaltal"}


class Swedish(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return MESSAGES.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        pair = PLURALS.get(singular)
        if pair is None:
            return singular if n == 1 else plural
        return pair[0] if n == 1 else pair[1]


def install() -> None:
    """Give Click's modules the Swedish catalogue (idempotent)."""
    catalogue = Swedish()
    for name in MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = catalogue.gettext
        if hasattr(module, "ngettext"):
            module.ngettext = catalogue.ngettext
    types = importlib.import_module("click.types")
    for value in vars(types).values():
        if isinstance(value, type) and isinstance(getattr(value, "name", None), str) and value.name in TYPE_NAMES:
            value.name = TYPE_NAMES[value.name]
