"""Filer och fält: koder som inläsningen rapporterar.

These findings come from reading files (``source.py``) and validating them
against the one model (``handbook.py``), before any rule runs. They are
declared here so that every code has its documentation in one registry.
"""

from __future__ import annotations

from .registry import declare

declare("RH001", "filer", "filen kan inte läsas eller är inte sparad som UTF-8", """
    Filen kunde inte läsas, eller den är sparad med en annan teckenkodning än
    UTF-8 (ofta Windows-1252/Latin-1 eller UTF-16 från äldre program). Då kan
    å, ä och ö inte läsas säkert, så filen kontrolleras inte vidare.
    UTF-8 med eller utan BOM, Windows-radslut (CRLF) och å/ä/ö skrivna som
    bokstav plus prickar (NFD, vanligt från Mac) går bra och behöver inte rättas.

    Rätta: Öppna filen i din editor och spara den som UTF-8. I VS Code klickar
    du på teckenkodningen längst ned till höger, väljer *Spara med kodning*
    och sedan *UTF-8*.
    """)

declare("RH002", "filer", "filen är tom", """
    Filen innehåller ingen text. En rutin måste åtminstone ha framsidesdata.

    Rätta: Skapa rutinen med `handbok new` så får du en mall, eller ta bort
    den tomma filen.
    """)

declare("RH003", "filer", "framsidesdata saknas eller avslutas inte", """
    En rutin börjar med framsidesdata: en rad med `---`, fälten och en
    avslutande rad med `---`. Här saknas den första raden, eller så avslutas
    framsidesdatan aldrig.

    Rätta: Se till att filens första rad är exakt `---` och att fälten följs av
    en rad med bara `---`. Brödtexten kommer efter den raden.

    Exempel:
        ---
        id: anvisning-arbetsmarknadsinsats
        title: Anvisning till arbetsmarknadsinsats
        ...
        ---

        ## Syfte
    """)

declare("RH004", "filer", "YAML-syntaxfel", """
    Framsidesdatan eller registret följer inte YAML-syntaxen, så fälten kan
    inte läsas. Meddelandet säger vad som är fel och på vilken rad: oftast ett
    kolon som saknas, fel indrag, ett citattecken som inte avslutas eller ett
    värde som innehåller kolon eller # utan citattecken.

    Rätta: Skriv `nyckel: värde` med ett mellanslag efter kolonet. Sätt värden
    som innehåller `:`, `#`, eller börjar med `@`, `*`, `&`, `[` eller `{` inom
    citattecken. Listor skrivs `[a, b]` eller som rader som börjar med `- `.

    Exempel:
        title: "Uppföljning: steg för steg"
        legal_basis: [sol-2025-400-12-4, sol-2025-400-12-5]
    """)

declare("RH005", "filer", "samma nyckel förekommer två gånger", """
    Samma fält står två gånger i framsidesdatan eller i en post i ett register.
    Bara det första värdet räknas, vilket lätt blir fel.

    Rätta: Ta bort den ena raden, eller slå ihop värdena till ett.
    """)

declare("RH006", "filer", "tabbtecken används för indrag", """
    YAML tillåter bara mellanslag för indrag. En tabb ser ut som mellanslag i
    editorn men gör att filen inte kan läsas.

    Rätta: Ersätt tabben med mellanslag (två per nivå). Många editorer kan visa
    tabbar och göra om dem automatiskt.
    """)

declare("RH007", "filer", "ett YAML-värde är för stort", """
    Framsidesdatan eller registret blir för stort när det läses: fler än
    100 000 värden eller fyra miljoner tecken. Nästan alltid beror det på
    ankare (`&namn`) och alias (`*namn`) som pekar på varandra, så att några
    rader växer till miljontals värden när de räknas ut ("billion laughs").
    Filen läses inte vidare, så att kontrollen och bygget inte fastnar.

    Rätta: Skriv ut värdena i stället för att använda ankare och alias. Handbokens
    fält behöver aldrig alias. Dela upp ett register som verkligen är så stort.
    """)

declare("RH008", "filer", "ett YAML-värde är nästlat för djupt", """
    Listor eller fält ligger inuti varandra i fler än 40 nivåer, till exempel
    `[[[[…]]]]`. Handbokens fält är som mest några nivåer djupa, så det är ett
    skrivfel eller ett försök att få kontrollen att krascha.

    Rätta: Ta bort de extra hakparenteserna eller indragen så att fältet får
    den form som Fältreferensen visar.
    """)

declare("RH009", "filer", "filen är en länk till en plats utanför handboken", """
    En rutin, processkarta, ett register eller en sida i `docs/` är en
    symbolisk länk till en fil utanför handbokens mapp. Den skulle publiceras
    som om den vore en del av handboken, trots att den inte granskas med den.
    Filen läses inte och publiceras inte.

    Rätta: Kopiera in innehållet i en vanlig fil i handboken, eller ta bort
    länken. Länkar inom handbokens egen mapp går bra.
    """)

declare("RH010", "filer", "ett register saknas eller har fel form", """
    Ett av registren i `routines/register/` (roller, lagrum, begrepp,
    revisionsfynd, processer) saknas, eller är inte en YAML-lista.

    Rätta: Skapa registret som en lista där varje post börjar med `- `.

    Exempel:
        - id: socialsekreterare
          name: Socialsekreterare
          unit: Ekonomiskt bistånd
          contact: ekonomiskt.bistand@kommunen.se
    """)

declare("RH101", "fält", "ett obligatoriskt fält saknas eller är tomt", """
    Ett fält som varje rutin (eller registerpost) måste ha saknas, eller har
    inget värde. En rutin måste ha `id`, `title`, `summary`, `process`,
    `status`, `version`, `owner` och `review_by`.

    Rätta: Lägg till fältet med ett värde. Se *Fältreferensen* för vad varje
    fält ska innehålla.
    """)

declare("RH102", "fält", "okänt fält", """
    Fältet finns inte i handbokens modell. Oftast är det ett stavfel, och
    meddelandet föreslår då det fält du troligen menade ("menade du …?").
    Ett okänt fält skulle annars tyst ignoreras.

    Rätta: Rätta stavningen till ett av de tillåtna fälten, eller ta bort
    raden. Fältnamnen är engelska och skrivs med gemener, t.ex. `review_by`.
    """)

declare("RH103", "fält", "fel typ av värde eller ogiltigt datum", """
    Värdet har fel form: text där det ska vara en lista, en lista där det ska
    vara text, ett datum som inte finns i kalendern (t.ex. 2026-02-30) eller
    ett datum som inte är skrivet ÅÅÅÅ-MM-DD. Versionen måste vara text, annars
    läses `2.10` som talet 2.1.

    Rätta: Skriv datum som ÅÅÅÅ-MM-DD (t.ex. `2027-03-31`), listor som
    `[a, b]` och versionen inom citattecken (`version: "2.1"`).
    """)

declare("RH104", "fält", "värdet är inte tillåtet", """
    Fältet har en fast uppsättning tillåtna värden, och det angivna värdet är
    inte ett av dem. `status` är `utkast`, `gällande` eller `upphävd`; ansvarets
    `kind` är `beslutar`, `utför` eller `följer upp`.

    Rätta: Välj ett av värdena som meddelandet räknar upp. Tänk på å, ä och ö.
    """)

declare("RH105", "fält", "värdet har fel format", """
    Värdet har inte den form fältet kräver: id skrivs med gemener a–z, siffror
    och bindestreck; `version` är siffror med punkter; `diagram` är ett
    filnamn som slutar på `.mmd`; `contact` är en e-postadress; `handle` börjar
    med `@`; `url` börjar med `https://`.

    Rätta: Skriv om värdet i den form som tipset under meddelandet visar.
    """)

declare("RH401", "referenser", "två rutiner har samma id", """
    Två filer i `routines/` har samma `id`. Ett id är rutinens stabila namn
    och adress och får aldrig användas av två rutiner, inte heller återanvändas
    efter att en rutin upphävts.

    Rätta: Ge den nya rutinen ett eget id och döp om filen till samma namn
    (`<id>.md`).
    """)

declare("RH402", "referenser", "samma id förekommer två gånger i ett register", """
    Två poster i samma register har samma id (eller samma begrepp i
    begreppsregistret), så det går inte att veta vilken som avses.

    Rätta: Ta bort dubbletten eller ge posten ett eget id.
    """)
