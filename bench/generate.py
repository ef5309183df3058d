"""Synthetic handbooks for the benchmark, shaped like the real routines.

``generate(root, count)`` writes a complete handbook root (``routines/``,
``routines/register/*.yml``, ``diagrams/``) with ``count`` routines. Each
routine has front matter valid for ``handbok.model.Routine`` and pointing only
at ids in the generated registers, about 600 words of body text in the real
routines' sections (Syfte, Omfattning, Arbetsgång, Frister as a table,
Uppföljning, Dokumentation), links to related routines, glossary
abbreviations in the text, and its own ten-node flowchart with accTitle and
accDescr. The routines in force were approved by one decision, recorded in the
releases register as 'handbok release approve' writes it (a routine is in force
only when a release records it). The output is deterministic for a given count
and seed.

Run as a script: ``python bench/generate.py DIR --antal 100 [--utan-kartor]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from pathlib import Path

# The one decision that approved the routines in force (recorded in releaser.yml).
DECISION = {"organ": "Socialnämnden", "date": dt.date(2025, 12, 10), "reference": "SN 2025-12-10 § 45",
            "valid_from": dt.date(2026, 1, 20)}

# --- registers (sized like the real ones) ----------------------------------------

PROCESSES = [
    ("kartläggning", "Ansökan och kartläggning"),
    ("anvisning", "Anvisning till insats"),
    ("uppföljning", "Uppföljning av insats"),
    ("lönestöd", "Anställning med lönestöd"),
    ("osa", "Offentligt skyddat arbete"),
    ("samverkan", "Samverkan kring individen"),
    ("avslut", "Avslut och egen försörjning"),
    ("styrning", "Styrning och återrapportering"),
]

ROLES = [
    ("socialsekreterare", "Socialsekreterare", "Ekonomiskt bistånd", "ekonomiskt.bistand@kommunen.se"),
    ("teamledare-ekonomiskt-bistand", "Teamledare, ekonomiskt bistånd", "Ekonomiskt bistånd", "ekonomiskt.bistand@kommunen.se"),
    ("enhetschef-ekonomiskt-bistand", "Enhetschef, ekonomiskt bistånd", "Ekonomiskt bistånd", "ekonomiskt.bistand@kommunen.se"),
    ("arbetsmarknadskonsulent", "Arbetsmarknadskonsulent", "Arbetsmarknadsenheten (AME)", "arbetsmarknadsenheten@kommunen.se"),
    ("jobbcoach", "Jobbcoach", "Arbetsmarknadsenheten (AME)", "arbetsmarknadsenheten@kommunen.se"),
    ("enhetschef-arbetsmarknadsenheten", "Enhetschef, arbetsmarknadsenheten", "Arbetsmarknadsenheten (AME)", "arbetsmarknadsenheten@kommunen.se"),
    ("verksamhetschef-ifo", "Verksamhetschef, IFO", "Individ- och familjeomsorgen", "ifo@kommunen.se"),
    ("kvalitetsutvecklare", "Kvalitetsutvecklare", "Socialförvaltningen", "kvalitet@kommunen.se"),
    ("namndsekreterare", "Nämndsekreterare", "Socialförvaltningen", "socialnamnden@kommunen.se"),
]
OWNERS = ["enhetschef-ekonomiskt-bistand", "enhetschef-arbetsmarknadsenheten", "verksamhetschef-ifo", "kvalitetsutvecklare"]

GLOSSARY = [
    ("Socialtjänstlagen", "SoL"), ("Arbetsförmedlingen", "AF"), ("Försäkringskassan", "FK"),
    ("Individ- och familjeomsorg", "IFO"), ("Arbetsmarknadsenhet", "AME"), ("Offentligt skyddat arbete", "OSA"),
    ("Samordnad individuell plan", "SIP"), ("Gemensam individuell plan", "GIP"),
    ("Lag om finansiell samordning av rehabiliteringsinsatser", "FINSAM"), ("Svenska för invandrare", "SFI"),
    ("Förutsättningar inför arbete", "FIA"), ("Kommunernas aktivitetsansvar", "KAA"),
    ("Bestämmelser för arbetstagare i arbetsmarknadspolitiska insatser", "BEA"),
    ("Samordningsförbund", None), ("Genomförandeplan", None), ("Ärendedragning", None),
    ("Stegförflyttning", None), ("Försörjningsstöd", None), ("Delegationsordning", None), ("Journalanteckning", None),
]
ABBREVIATIONS = [a for _, a in GLOSSARY if a]

LEGAL = [(f"sol-2025-400-{chapter}-{section}", f"{chapter} kap. {section} § socialtjänstlagen (2025:400)")
         for chapter, section in [(5, 1), (10, 3), (10, 8), (12, 1), (12, 3), (12, 4), (12, 5), (12, 6), (14, 3),
                                  (14, 5), (16, 1), (17, 2), (35, 1)]]
LEGAL += [("osl-2009-400-26-1", "26 kap. 1 § offentlighets- och sekretesslagen (2009:400)"),
          ("forordning-2017-462", "förordning (2017:462) om särskilda insatser för personer med funktionsnedsättning"),
          ("forordning-2018-42", "förordning (2018:42) om särskilt anställningsstöd"),
          ("lag-2003-1210", "lag (2003:1210) om finansiell samordning av rehabiliteringsinsatser"),
          ("dos-2018-1937", "lag (2018:1937) om dataskydd")]

MUNICIPALITIES = ["Enköping", "Sundbyberg", "Nässjö", "Kumla", "Lysekil", "Tierp", "Härnösand", "Vänersborg"]
FINDINGS = [(f"{m.lower().replace('ä', 'a').replace('ö', 'o')}-{2018 + i % 7}-rek-{k}", m, 2018 + i % 7)
            for i, m in enumerate(MUNICIPALITIES) for k in (1, 2, 3)]

# --- text material ----------------------------------------------------------------

SUBJECTS = ["anvisning", "uppföljning", "kartläggning", "avslut", "samordning", "dokumentation", "planering",
            "bedömning", "återrapportering", "överlämning", "utredning", "introduktion"]
OBJECTS = ["praktik", "arbetsträning", "lönestöd", "studier", "SFI", "kompetenshöjande insats", "OSA-anställning",
           "arbetsförmågeutredning", "coachning", "ungdomsinsats", "nystartsjobb", "språkpraktik", "GIP", "SIP"]
GROUPS = ["Vuxna med försörjningsstöd", "Unga vuxna 18–24 år", "Nyanlända", "Personer med funktionsnedsättning",
          "Långvarigt biståndsmottagande", "Arbetssökande utan ersättning"]
SENTENCES = [
    "{role} ansvarar för att {subject} görs skyndsamt och att personens egna önskemål vägs in.",
    "Bedömningen grundas på kartläggningen och dokumenteras i journalen samma dag som den görs.",
    "Innan beslut fattas samråder {role_l} med AF om en arbetsmarknadspolitisk insats kan erbjudas.",
    "Om personen har behov av samordnade insatser från hälso- och sjukvården upprättas en SIP med personens samtycke.",
    "Uppgifter lämnas bara till en annan verksamhet med samtycke eller annat lagligt stöd enligt sekretessreglerna.",
    "Den som anvisar äger individens process, även när det dagliga stödet ges av AME.",
    "Insatsen planeras tillsammans med personen och följs upp minst var tredje månad.",
    "Vid frånvaro utan godtagbart skäl prövas rätten till fortsatt försörjningsstöd enligt SoL.",
    "Beslutet anger insatsens innehåll, omfattning i timmar per vecka och beslutsperiodens längd.",
    "{role} kontrollerar att underlaget är komplett innan ärendet tas upp på ärendedragningen.",
    "Personer som deltar i SFI kan kombinera studierna med en praktik på deltid.",
    "Stegförflyttning mäts med FIA vid start och vid varje uppföljningsmöte.",
    "Uppföljningen sker i ett trepartssamtal där personen, {role_l} och den mottagande verksamheten deltar.",
    "Avvikelser från rutinen rapporteras till {owner_l}, som tar upp dem i det systematiska kvalitetsarbetet.",
    "Alla beslut registreras i verksamhetssystemet med beslutsperiodens slutdatum som bevakning.",
    "När FK bedömer arbetsförmågan inväntas bedömningen innan en ny insats planeras.",
    "Samordningsförbundet finansierar insatser enligt FINSAM när flera myndigheter behöver samverka.",
    "Personen får skriftlig information om vad som gäller och hur ett beslut kan överklagas.",
    "Den individuella planen uppdateras när målet, insatsen eller personens förutsättningar ändras.",
    "Statistik över {subject} sammanställs varje kvartal och redovisas för socialnämnden.",
]
STEP_VERBS = ["Bedömer", "Samråder om", "Planerar", "Beslutar om", "Informerar om", "Följer upp", "Dokumenterar",
              "Lämnar över", "Utvärderar", "Avslutar"]


def _words(text: str) -> int:
    return len(text.split())


def _sentences(rng: random.Random, count: int, fill: dict) -> str:
    return " ".join(rng.choice(SENTENCES).format(**fill) for _ in range(count))


def _yaml_list(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def _routine_ids(count: int) -> list[str]:
    ids = []
    for index in range(count):
        subject = SUBJECTS[index % len(SUBJECTS)]
        obj = OBJECTS[(index // len(SUBJECTS)) % len(OBJECTS)]
        slug = f"{subject}-{obj}".lower()
        for a, b in (("å", "a"), ("ä", "a"), ("ö", "o"), (" ", "-")):
            slug = slug.replace(a, b)
        ids.append(f"{slug}-{index + 1:04d}")
    return ids


def _title(index: int) -> str:
    subject = SUBJECTS[index % len(SUBJECTS)]
    obj = OBJECTS[(index // len(SUBJECTS)) % len(OBJECTS)]
    return f"{subject.capitalize()} av {obj} {index + 1}"


def flowchart(title: str, rng: random.Random) -> str:
    """A ten-node flowchart with one decision, like the real process maps."""
    verbs = rng.sample(STEP_VERBS, 6)
    lines = [
        "flowchart TD",
        f"    accTitle: {title}",
        f"    accDescr: Flödet från att behovet upptäcks till att {title.lower()} är dokumenterad och uppföljd,"
        " med ett beslut om AF kan erbjuda en insats.",
        "    start([Behovet upptäcks]) --> s1[Socialsekreteraren " + verbs[0].lower() + " behovet]",
        "    s1 --> s2[" + verbs[1] + " insatsen med AF]",
        "    s2 --> beslut{Kan AF erbjuda en insats?}",
        "    beslut -->|Ja| af[AF:s insats används]",
        "    beslut -->|Nej| s3[" + verbs[2] + " insatsen på ärendedragningen]",
        "    s3 --> s4[" + verbs[3] + " beslutet]",
        "    s4 --> s5[" + verbs[4] + " uppstartsmötet]",
        "    af --> s6[" + verbs[5] + " planen]",
        "    s5 --> s6",
        "    s6 --> slut([Dokumenterat i journalen])",
    ]
    return "\n".join(lines) + "\n"


def routine_text(index: int, ids: list[str], rng: random.Random, *, with_map: bool) -> str:
    rid = ids[index]
    title = _title(index)
    process = PROCESSES[index % len(PROCESSES)][0]
    owner = OWNERS[index % len(OWNERS)]
    role_names = {r[0]: r[1] for r in ROLES}
    others = [i for i in rng.sample(range(len(ids)), min(4, len(ids))) if i != index][:3]
    related = [ids[i] for i in others]
    legal = rng.sample([lid for lid, _ in LEGAL], 3)
    answers = [f[0] for f in rng.sample(FINDINGS, rng.choice([0, 1, 2]))]
    audience = rng.sample([r[0] for r in ROLES], 3)
    status = "utkast" if index % 17 == 5 else "gällande"
    fill = {"role": role_names[audience[0]], "role_l": role_names[audience[1]].lower(),
            "owner_l": role_names[owner].lower(), "subject": SUBJECTS[index % len(SUBJECTS)]}
    month = 1 + index % 12
    front = [
        "---",
        f"id: {rid}",
        f"title: {title}",
        f"summary: Rutinen beskriver {SUBJECTS[index % len(SUBJECTS)]} inom processen "
        f"{PROCESSES[index % len(PROCESSES)][1].lower()}, från behovsbedömning till dokumenterad uppföljning.",
        f"process: {process}",
        f"status: {status}",
        f'version: "{1 + index % 3}.{index % 5}"',
        f"owner: {owner}",
    ]
    if status == "gällande":
        front += [
            "approved:",
            f"  by: {DECISION['organ']}",
            f"  date: {DECISION['date']}",
            f'  reference: "{DECISION["reference"]}"',
            f"valid_from: 2026-{month:02d}-20",
        ]
    front += [
        f"review_by: 2029-{month:02d}-28",
        f"legal_basis: {_yaml_list(legal)}",
    ]
    if with_map:
        front.append(f"diagram: {rid}.mmd")
    front += [
        f"related: {_yaml_list(related)}",
        f"answers: {_yaml_list(answers)}",
        "follow_up: Teamledaren går igenom nya ärenden vid den veckovisa ärendedragningen. "
        "Enhetschefen följer upp flödet varje kvartal.",
        f"audience: {_yaml_list(audience)}",
        f"target_groups: {_yaml_list(rng.sample(GROUPS, 2))}",
        "responsibilities:",
    ]
    for role, kind, task in [
        (audience[0], "utför", "Bedömer behovet, samråder med AF och dokumenterar bedömningen."),
        (audience[1], "beslutar", "Fattar beslut inom sin delegation."),
        (audience[2], "utför", "Håller uppstartsmötet och upprättar genomförandeplanen."),
        (owner, "följer upp", "Följer varje kvartal upp väntetider och flödet i processen."),
    ]:
        front += [f"  - role: {role}", f"    kind: {kind}", f"    task: {task}"]
    front += ["change_note: Första fastställda versionen av rutinen.", "---", ""]

    body = ["## Syfte", "", _sentences(rng, 4, fill), "", "## Omfattning", "", _sentences(rng, 4, fill), "",
            "## Arbetsgång", ""]
    for step in range(1, 8):
        verb = rng.choice(STEP_VERBS)
        body.append(f"{step}. **{verb} {rng.choice(OBJECTS)}.** {_sentences(rng, 2, fill)}")
    link_title = _title(others[0]) if others else title
    body += ["", f"Se även [{link_title}]({related[0]}.md) för hur arbetet fortsätter." if related else "", ""]
    body += ["## Frister", "", "| Steg | Frist | Ansvarig |", "|---|---|---|"]
    for step, days in zip(rng.sample(STEP_VERBS, 5), (2, 5, 10, 14, 90)):
        body.append(f"| {step} {rng.choice(OBJECTS)} | {days} arbetsdagar | {role_names[rng.choice(audience)]} |")
    body += ["", "## Uppföljning", ""]
    body += [f"- {_sentences(rng, 1, fill)}" for _ in range(3)]
    body += ["", "## Dokumentation", "", _sentences(rng, 4, fill), ""]
    text = "\n".join(body)
    # Top up to about 600 words of body, like the real routines.
    extra = []
    while _words(text) + _words(" ".join(extra)) < 600:
        extra.append(_sentences(rng, 1, fill))
    if extra:
        text = text.rstrip("\n") + "\n\n" + " ".join(extra) + "\n"
    return "\n".join(front) + "\n" + text


def registers() -> dict[str, str]:
    """The five register files as YAML text."""
    out: dict[str, str] = {}
    out["processer.yml"] = "".join(
        f"- id: {pid}\n  title: {title}\n  description: Rutiner om {title.lower()}.\n\n" for pid, title in PROCESSES)
    out["roller.yml"] = "".join(
        f"- id: {rid}\n  name: {name}\n  unit: {unit}\n  contact: {contact}\n  handle: \"@kommunen/{rid}\"\n\n"
        for rid, name, unit, contact in ROLES)
    out["lagrum.yml"] = "".join(
        f"- id: {lid}\n  citation: {citation}\n  url: https://www.riksdagen.se/sv/dokument-och-lagar/{lid}/\n"
        f"  in_force_from: 2019-01-01\n\n" for lid, citation in LEGAL)
    out["begrepp.yml"] = "".join(
        f"- term: {term}\n" + (f"  abbreviation: {abbr}\n" if abbr else "")
        + f"  definition: Förklaring av begreppet {term.lower()} i en mening.\n\n" for term, abbr in GLOSSARY)
    out["revisionsfynd.yml"] = "".join(
        f"- id: {fid}\n  municipality: {m}\n  year: {year}\n  auditor: PwC\n"
        f"  report: Granskning av arbetsmarknadsinsatser\n  text: Nämnden bör ha fastställda rutiner för insatserna.\n\n"
        for fid, m, year in FINDINGS)
    return out


def generate(root: Path | str, count: int, *, with_maps: bool = True, seed: int = 7) -> Path:
    """Write a handbook with ``count`` routines below ``root`` (replacing routines/ and diagrams/)."""
    root = Path(root)
    for sub in ("routines", "diagrams"):
        if (root / sub).exists():
            shutil.rmtree(root / sub)
    register_dir = root / "routines" / "register"
    register_dir.mkdir(parents=True)
    (root / "diagrams").mkdir()
    for name, text in registers().items():
        (register_dir / name).write_text(text, encoding="utf-8")
    ids = _routine_ids(count)
    for index, rid in enumerate(ids):
        rng = random.Random(seed * 100003 + index)
        (root / "routines" / f"{rid}.md").write_text(routine_text(index, ids, rng, with_map=with_maps), encoding="utf-8")
        if with_maps:
            (root / "diagrams" / f"{rid}.mmd").write_text(flowchart(_title(index), rng), encoding="utf-8")
    record_release(root)
    return root


def record_release(root: Path) -> None:
    """The releases register with the decision that approved the routines, written with the
    release tool's own code (content hashes, entry format)."""
    from handbok import model
    from handbok.core.hashing import snapshot
    from handbok.core.loader import load_handbook
    from handbok.release.register import HEADER, entry_yaml

    routines, diagrams = snapshot(load_handbook(root))
    release = model.Release(version="2025.1", routines=routines, diagrams=diagrams, **DECISION)
    (root / "routines" / "register" / model.RELEASES_FILE).write_text(HEADER + entry_yaml(release), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Skapa en syntetisk handbok för prestandamätningen.")
    parser.add_argument("rot", type=Path, help="mappen där routines/ och diagrams/ skapas")
    parser.add_argument("--antal", type=int, default=100, help="antal rutiner")
    parser.add_argument("--utan-kartor", action="store_true", help="rutiner utan processkartor")
    args = parser.parse_args(argv)
    generate(args.rot, args.antal, with_maps=not args.utan_kartor)
    print(f"{args.antal} rutiner skrivna i {args.rot}")


if __name__ == "__main__":
    main()
