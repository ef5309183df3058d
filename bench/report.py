"""bench/RESULTAT.md from the measured figures (bench/resultat.json).

Every number in the report comes from the run; the verdicts (uppfyllt or not)
and the choice among the measured configurations are computed here from those
numbers, not written by hand.
"""

from __future__ import annotations

import statistics

TARGET_MAPS = 1.10        # our build / our build without maps
TARGET_BASELINE = 0.5     # our build / plain Material with flat nav, at the largest size
TARGET_PAGE_KB = 60       # routine page HTML at the largest size
TARGET_CHECK_S = 1.0      # handbok check at the largest size
TARGET_RELOAD_RATIO = 0.1  # live reload in make serve / a full build of the same handbook
TARGET_RELOAD_S = 2.0      # live reload at the largest size
TARGET_SEARCH = 1.2        # our search index / plain Material's on the same Markdown


def _kb(value: int | float) -> str:
    return f"{value / 1024:,.1f} kB".replace(",", " ")


def _mb(value: int | float) -> str:
    return f"{value / 1024 / 1024:,.1f} MB".replace(",", " ")


def _s(value: float) -> str:
    return f"{value:.2f} s"


def _ratio(a: float, b: float) -> float:
    return a / b if b else float("inf")


def _yes(ok: bool) -> str:
    return "ja" if ok else "**nej**"


def _sizes(results: dict) -> list[tuple[str, dict]]:
    return sorted(results["sizes"].items(), key=lambda item: int(item[0]))


def verdicts(results: dict) -> list[dict]:
    """One row per target: the figure at each size, and whether the target is met at the largest."""
    sizes = _sizes(results)
    largest = sizes[-1][1]
    rows = []

    def per_size(function) -> dict[str, str]:
        return {count: function(data) for count, data in sizes}

    def paired(data: dict, other: str, key: str) -> float:
        """Median of the ratios within each repetition: the two builds ran one after the
        other, so a slow stretch of the shared machine affects both sides of a ratio."""
        ours, theirs = data["builds"]["var"][key], data["builds"][other][key]
        # zip: the baseline may have fewer repetitions; ours from the same repetitions are used.
        return statistics.median(_ratio(a, b) for a, b in zip(ours, theirs))

    def ratio_text(data: dict, other: str) -> str:
        ours, theirs = data["builds"]["var"]["runs_cpu_s"], data["builds"][other]["runs_cpu_s"]
        each = [_ratio(a, b) for a, b in zip(ours, theirs)]
        spread = f"; per upprepning {min(each):.2f}–{max(each):.2f}" if len(each) > 1 else ""
        return f"{paired(data, other, 'runs_s'):.2f} (cpu {paired(data, other, 'runs_cpu_s'):.2f}{spread})"

    rows.append({
        "target": f"processkartor och metadata: vårt bygge / vårt bygge utan kartor ≤ {TARGET_MAPS:.2f}",
        "figures": per_size(lambda d: ratio_text(d, "utan-kartor")),
        "met": paired(largest, "utan-kartor", "runs_cpu_s") <= TARGET_MAPS,
    })
    rows.append({
        "target": f"{sizes[-1][0]} rutiner: vårt bygge / Material med platt meny ≤ {TARGET_BASELINE}",
        "figures": per_size(lambda d: ratio_text(d, "material")),
        "met": paired(largest, "material", "runs_cpu_s") <= TARGET_BASELINE,
    })
    page = lambda d: d["builds"]["var"]["site"]["page_html_max_bytes"]  # noqa: E731
    rows.append({
        "target": f"rutinsidans HTML ≤ {TARGET_PAGE_KB} kB vid {sizes[-1][0]} rutiner (största sidan)",
        "figures": per_size(lambda d: _kb(page(d))),
        "met": page(largest) <= TARGET_PAGE_KB * 1024,
    })
    rows.append({
        "target": f"handbok check ≤ {TARGET_CHECK_S:.0f} s vid {sizes[-1][0]} rutiner (varm cache; kall cache bredvid)",
        "figures": per_size(lambda d: f"{_s(d['check']['median_s'])} (cpu {_s(d['check']['median_cpu_s'])}); "
                                      f"kall {_s(d['check_cold']['median_s'])}"),
        "met": largest["check"]["median_cpu_s"] <= TARGET_CHECK_S,
    })

    def bundle_ok(data: dict) -> bool:
        ours, plain = data["builds"]["var"]["site"], data["builds"]["utan-kartor"]["site"]
        return (ours["pages_loading_mermaid"] == ours["pages_with_map"] and plain["pages_loading_mermaid"] == 0
                and data["browser"]["with_map"]["mermaid_loaded"] and not data["browser"]["without_map"]["mermaid_loaded"])

    rows.append({
        "target": "Mermaid-paketet läses bara in av sidor med en processkarta",
        "figures": per_size(lambda d: "{} av {} sidor med karta; {} utan".format(
            d["builds"]["var"]["site"]["pages_loading_mermaid"], d["builds"]["var"]["site"]["pages_with_map"],
            d["builds"]["utan-kartor"]["site"]["pages_loading_mermaid"])),
        "met": all(bundle_ok(d) for _, d in sizes),
    })
    return rows


def _title(results: dict, name: str) -> str:
    option = results.get("options", {}).get(name)
    return DESCRIPTIONS.get(name) or (option["title"] if option else "")


# An option is chosen over the configuration in mkdocs.yml only if it is faster by more than
# this, paired repetition by repetition: on a shared machine two runs of the same build can
# differ by several per cent.
CHOICE_MARGIN = 0.03


def _paired_median(data: dict, name: str, other: str = "var") -> float | None:
    """Median of name/other over the repetitions where both ran (CPU time)."""
    ours, theirs = data["builds"][name]["runs_cpu_s"], data["builds"][other]["runs_cpu_s"]
    ratios = [_ratio(a, b) for a, b in zip(ours, theirs)]
    return statistics.median(ratios) if ratios else None


def choice(results: dict) -> tuple[str | None, list[dict]]:
    """The configuration of our site to use at the largest size: the one in mkdocs.yml (``var``)
    unless an option that gives the reader the same site and meets the page targets is faster by
    more than ``CHOICE_MARGIN``, judged on the median of its CPU time over ours within each
    repetition (both built one after the other). Returns the choice and every row with the
    reason it was left out, if it was."""
    count, data = _sizes(results)[-1]
    options = results.get("options", {})
    rows = []
    for name in ["var"] + [n for n in options if n in data["builds"]]:
        build = data["builds"][name]
        site = build["site"]
        reasons = []
        if options.get(name, {}).get("changes"):
            reasons.append(options[name]["changes"])
        if site["page_html_max_bytes"] > TARGET_PAGE_KB * 1024:
            reasons.append(f"sidans HTML över {TARGET_PAGE_KB} kB")
        if site["pages_loading_mermaid"] != site["pages_with_map"]:
            reasons.append("Mermaid-paketet läses in på fel sidor")
        rows.append({"name": name, "wall": build["median_s"], "cpu": build["median_cpu_s"],
                     "runs": len(build["runs_cpu_s"]), "vs_ours": _paired_median(data, name),
                     "page": site["page_html_max_bytes"], "excluded": "; ".join(reasons)})
    rows.sort(key=lambda row: row["cpu"])
    faster = [row for row in rows if not row["excluded"] and row["name"] != "var"
              and row["vs_ours"] is not None and row["vs_ours"] < 1 - CHOICE_MARGIN]
    if faster:
        return min(faster, key=lambda row: row["vs_ours"])["name"], rows
    ours = next((row for row in rows if row["name"] == "var"), None)
    return ("var" if ours and not ours["excluded"] else None), rows


DESCRIPTIONS = {
    "var": "vår webbplats som den är konfigurerad i mkdocs.yml",
    "utan-kartor": "samma handbok utan processkartor (inget diagram-fält)",
    "material": "baslinje: Material med platt meny, samma Markdown, utan handbok-plugin och mermaid2",
}


def reload_section(part: dict) -> list[str]:
    """Live reload beside a full build, the search index beside Material's, and the bytes through nginx
    (``bench/run.py --bara omladdning`` or the whole ``make bench``)."""
    machine = part["machine"]
    sizes = sorted(part["sizes"].items(), key=lambda item: int(item[0]))
    largest = sizes[-1]
    lines = ["", "## Live reload, sökindex och överföring", "",
             f"Mätt {machine['date']} på commit `{machine['git_commit']}`"
             + (" (med ändringar som inte är incheckade)" if machine.get("git_dirty") else "")
             + f", belastning vid start {part.get('load_average_start')}, vid slut {part.get('load_average_end')}"
             + (f"; {part['total_s'] / 60:.1f} minuter" if part.get("total_s") else "") + ".", "",
             "| mål | " + " | ".join(f"{count} rutiner" for count, _ in sizes) + " | uppfyllt |",
             "|---|" + "---|" * len(sizes) + "---|"]
    reload_ok = all(d["live_reload"]["ratio_to_full_build"] <= TARGET_RELOAD_RATIO for _, d in sizes
                    if d.get("live_reload"))
    lines.append(f"| live reload / fullt bygge av samma handbok ≤ {TARGET_RELOAD_RATIO} | " + " | ".join(
        f"{_s(d['live_reload']['median_s'])} / {_s(d['full_build']['median_s'])} = "
        f"{d['live_reload']['ratio_to_full_build']:.3f}" if d.get("live_reload") else "–" for _, d in sizes)
        + f" | {_yes(reload_ok)} |")
    last = largest[1].get("live_reload")
    lines.append(f"| live reload < {TARGET_RELOAD_S:.0f} s vid {largest[0]} rutiner | " + " | ".join(
        _s(d["live_reload"]["median_s"]) if d.get("live_reload") else "–" for _, d in sizes)
        + f" | {_yes(bool(last) and last['median_s'] < TARGET_RELOAD_S)} |")
    search_ok = all(d["search_index"]["ratio"] <= TARGET_SEARCH for _, d in sizes)
    lines.append(f"| sökindex / Materials på samma innehåll (alla sidor) ≤ {TARGET_SEARCH} | " + " | ".join(
        f"{_mb(d['search_index']['ours']['bytes'])} / {_mb(d['search_index']['material']['bytes'])} = "
        f"{d['search_index']['ratio']:.2f}" for _, d in sizes) + f" | {_yes(search_ok)} |")
    routine_ok = all(d["search_index"]["routine_ratio"] <= TARGET_SEARCH for _, d in sizes)
    lines.append(f"| sökindex, bara rutinsidornas poster / Materials ≤ {TARGET_SEARCH} | " + " | ".join(
        f"{_mb(d['search_index']['ours']['routine_bytes'])} / {_mb(d['search_index']['material']['routine_bytes'])} = "
        f"{d['search_index']['routine_ratio']:.2f}" for _, d in sizes) + f" | {_yes(routine_ok)} |")
    watched = sorted({d["live_reload"]["watching"] for _, d in sizes
                      if d.get("live_reload") and d["live_reload"].get("watching")})
    lines += ["", "Live reload: `make serve` (`mkdocs serve --dirty --strict`) på en ledig port; ett utkast mitt i "
              "handboken får en ny rad, och tiden mäts tills sidan serveras med raden. Det fulla bygget är "
              "`mkdocs build --strict` av samma projekt i samma körning (median)."
              + (f" Serverns logg om bevakningen: *{'; '.join(watched)}*" if watched else ""), "",
              "| rutiner | live reload, median | mätningar | fullt bygge | kvot | första bygget i serve | vad som byggdes om |",
              "|---|---|---|---|---|---|---|"]
    for count, d in sizes:
        r = d.get("live_reload")
        if not r:
            continue
        said = "; ".join(sorted(set(line.split("handbok: ", 1)[-1] for line in r.get("log", [])))) or "–"
        lines.append(f"| {count} | {_s(r['median_s'])} | {', '.join(_s(t) for t in r['runs_s'])} | "
                     f"{_s(d['full_build']['median_s'])} | {r['ratio_to_full_build']:.3f} | {_s(r['first_build_s'])} | "
                     f"{said} |")
    lines += ["", "Sökindexet (`search/search_index.json`) mot Material på samma innehåll: baslinjen har rutinfilerna "
              "som redaktörerna skriver dem och våra övriga sidor (översikten, registren, begreppen och "
              "Kontrollkoder) med den Markdown som handbok-pluginet ger MkDocs, och Material indexerar varje sida "
              "hel. Posterna räknas som Material skriver dem (kompakt JSON). Rutinsidornas poster jämförs för sig: "
              "där har vår sida mer än baslinjens (sammanfattning, ägare, processkartans steg), medan registren hos "
              "oss indexerar sina rubriker och sin text men inte sina listor av rutiner, som var och en hittas på "
              "sin egen sida."
              + (" Jämfört med bara Materials poster för rutinsidorna (baslinjen utan våra övriga sidor, som "
                 "i tidigare mätningar) är kvoten " + ", ".join(
                     f"{d['search_index']['ours']['bytes'] / d['search_index']['material']['routine_bytes']:.2f} "
                     f"vid {count} rutiner" for count, d in sizes)
                 + ": då finns Kontrollkoder, registren och begreppen bara i vårt index."
                 if all(d["search_index"]["material"].get("routine_bytes") for _, d in sizes) else ""), "",
              "| rutiner | vårt index | poster | Materials | poster | kvot | rutinsidornas poster | Materials | kvot "
              "| övriga sidors poster | Materials | kvot |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for count, d in sizes:
        o, m = d["search_index"]["ours"], d["search_index"]["material"]
        other = (f"{_mb(o['other_bytes'])} | {_mb(m['other_bytes'])} | {d['search_index']['other_ratio']:.2f}"
                 if d["search_index"].get("other_ratio") is not None else "– | – | –")
        lines.append(f"| {count} | {_mb(o['bytes'])} | {o['entries']} | {_mb(m['bytes'])} | {m['entries']} | "
                     f"{d['search_index']['ratio']:.2f} | {_mb(o['routine_bytes'])} | {_mb(m['routine_bytes'])} | "
                     f"{d['search_index']['routine_ratio']:.2f} | {other} |")
    lines += ["", "Vad webbläsaren hämtar för en rutinsida med processkarta genom nginx med "
              "`deploy/nginx/rutinhandboken.conf` (`Accept-Encoding: gzip`; statusrad, huvuden och kropp som de "
              "skickas): sidan, dess CSS, typsnitt och skript, och Materials sök-worker och sökindex. Kall: tom "
              "cache. Varm: samma sida igen; en fil med livslängd (`max-age`, utan `no-cache`) hämtas inte, de "
              "andra frågas efter igen och ett `304` kostar bara huvudena.", "",
              "| rutiner | sida | filer | kall | varm | frågor igen (varm) | sökindexet, kall |",
              "|---|---|---|---|---|---|---|"]
    for count, d in sizes:
        for key, label in (("ours", "vår"), ("material", "Material (baslinjen)")):
            t = d["transfer"][key]
            index = t["by_file"].get("/search/search_index.json", {})
            lines.append(f"| {count} | {label}: `{t['page']}` | {t['files']} | {_kb(t['cold_bytes'])} | "
                         f"{_kb(t['warm_bytes'])} | {t['warm_requests']} | "
                         f"{_kb(index['bytes']) + (' (' + index['encoding'] + ')' if index.get('encoding') else '') if index else '–'} |")
    return lines


def markdown(results: dict) -> str:
    machine = results["machine"]
    sizes = _sizes(results)
    options = results.get("options", {})
    names = ["var", "utan-kartor", "material"] + [name for name in options if name in sizes[-1][1]["builds"]]
    lines = [
        "# Prestanda: resultat av `make bench`",
        "",
        f"Körd {machine['date']} på commit `{machine['git_commit']}`"
        + (" (med ändringar som inte är incheckade)" if machine.get("git_dirty") else "") + ".",
        f"Maskin: {machine['cpu'] or 'okänd processor'}, {machine['cores']} kärnor, {machine['memory']}; {machine['platform']}.",
        f"Belastning (load average 1/5/15 min) vid start {results.get('load_average_start')}, vid slut "
        f"{results.get('load_average_end')}. Hela körningen tog {results['total_s'] / 60:.1f} minuter.",
        "Projekten byggdes i " + ("minnet (tmpfs), så att diskens väntetider inte mäts med"
                                  if results.get("work_folder_in_memory") else "en mapp på disken") + ".",
        "",
        "Versioner: " + ", ".join(f"{name} {version}" for name, version in machine["versions"].items() if version) + ".",
        "",
        "Tider är medianen av upprepningarna: väggklocka och, inom parentes, processorns tid (användare + system, "
        "även barnprocesser som Node). Bygget är enkeltrådat, så på en ledig maskin är de nästan lika; när maskinen "
        "delas med annat arbete väntar bygget på processorn och väggklockan växer, men inte processortiden. "
        "Därför bedöms målen på processortiden, och väggklockan står bredvid. Kvoterna i målen är medianen av "
        "kvoterna inom varje upprepning (byggena i en kvot kördes direkt efter varandra).",
        "",
        "Upprepningar: " + ", ".join(
            f"{count} rutiner: {data['repetitions']} av vårt bygge, bygget utan kartor och check med varm cache, "
            f"{data.get('baseline_repetitions', data['repetitions'])} av baslinjen, "
            f"{data.get('option_repetitions', data['repetitions'])} av alternativen och av check "
            f"med kall cache" for count, data in sizes) + ".",
        "",
        "## Målen",
        "",
        "| mål | " + " | ".join(f"{count} rutiner" for count, _ in sizes) + " | uppfyllt |",
        "|---|" + "---|" * len(sizes) + "---|",
    ]
    for row in verdicts(results):
        lines.append(f"| {row['target']} | " + " | ".join(row["figures"][count] for count, _ in sizes)
                     + f" | {_yes(row['met'])} |")

    lines += ["", "## Byggtider", "",
              "| bygge | " + " | ".join(f"{count} rutiner" for count, _ in sizes) + " | beskrivning |",
              "|---|" + "---|" * len(sizes) + "---|"]
    for name in names:
        cells = []
        for _, data in sizes:
            build = data["builds"].get(name)
            cells.append(f"{_s(build['median_s'])} ({_s(build['median_cpu_s'])})" if build else "–")
        lines.append(f"| `{name}` | " + " | ".join(cells) + f" | {_title(results, name)} |")
    if all("build_cold" in d for _, d in sizes):
        lines.append("| `var`, kall cache | " + " | ".join(
            f"{_s(d['build_cold']['median_s'])} ({_s(d['build_cold']['median_cpu_s'])})" for _, d in sizes)
            + " | vårt bygge när handbokens cache är tom (första bygget i en ny klon; en gång per storlek) |")
    lines += ["", "| handbok check | " + " | ".join(
        f"{_s(d['check']['median_s'])} ({_s(d['check']['median_cpu_s'])}); kall cache {_s(d['check_cold']['median_s'])} "
        f"({_s(d['check_cold']['median_cpu_s'])})" for _, d in sizes) + " |", "|---|" + "---|" * len(sizes)]

    lines += ["", "## Storlekar", "",
              "| bygge | rutiner | rutinsida, median | rutinsida, största | hela webbplatsen | utan Mermaid-paketet | sökindex |",
              "|---|---|---|---|---|---|---|"]
    for count, data in sizes:
        for name in names:
            site = data["builds"].get(name, {}).get("site")
            if not site:
                continue
            lines.append(f"| `{name}` | {count} | {_kb(site['page_html_median_bytes'])} | {_kb(site['page_html_max_bytes'])} | "
                         f"{_mb(site['site_bytes'])} | {_mb(site['site_bytes_without_mermaid_bundle'])} | "
                         f"{_mb(site['search_index_bytes'])} |")

    lines += ["", "## Vad webbläsaren läser in för en rutinsida", "",
              "Summan av sidans HTML och de CSS-, JavaScript- och typsnittsfiler den hänvisar till (typsnitt via "
              "CSS `url()`), räknad på de byggda filerna. Sökningen (Materials sök-worker och sökindexet, som "
              "hämtas när sidan laddats) redovisas för sig.", "",
              "| sida | rutiner | HTML | CSS | JS | typsnitt | summa | sökning | Mermaid |",
              "|---|---|---|---|---|---|---|---|---|"]
    labels = {"with_map": "med processkarta", "without_map": "utan processkarta", "baseline": "baslinjen (Material)"}
    for count, data in sizes:
        for key, label in labels.items():
            b = data["browser"][key]
            lines.append(f"| {label} | {count} | {_kb(b['html'])} | {_kb(b['css'])} | {_kb(b['js'])} | {_kb(b['fonts'])} | "
                         f"**{_kb(b['total'])}** | {_kb(b['search'])} | {'ja' if b['mermaid_loaded'] else 'nej'} |")

    if results.get("omladdning"):
        lines += reload_section(results["omladdning"])
    else:
        reloads = [(count, data["live_reload"]) for count, data in sizes if data.get("live_reload")]
        if reloads:
            lines += ["", "## Live reload", "",
                      "`mkdocs serve --strict` på 127.0.0.1 (ledig port); en rutin ändras och tiden mäts tills den "
                      "ombyggda sidan serveras med ändringen.", "",
                      "| rutiner | median | mätningar | första bygget vid start |", "|---|---|---|---|"]
            for count, reload in reloads:
                lines.append(f"| {count} | {_s(reload['median_s'])} | {', '.join(_s(t) for t in reload['runs_s'])} | "
                             f"{_s(reload['first_build_s'])} |")

    chosen, rows = choice(results)
    count = sizes[-1][0]
    base = sizes[-1][1]["builds"]["material"]
    lines += ["", "## Alternativ och val", "",
              "Alla alternativ behåller verktygskedjan (MkDocs, Material, mermaid2 med sina inställningar, "
              f"handbok-pluginet). Vid {count} rutiner, sorterat på processortid:", "",
              "| konfiguration | tid | processortid | körningar | / `var` (parvis, cpu) | / Material (cpu) | "
              "sidans HTML (största) | utesluten därför att |",
              "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        paired = f"{row['vs_ours']:.2f}" if row["vs_ours"] is not None else "–"
        lines.append(f"| `{row['name']}` – {_title(results, row['name'])} | {_s(row['wall'])} | {_s(row['cpu'])} | "
                     f"{row['runs']} | {paired} | {_ratio(row['cpu'], base['median_cpu_s']):.2f} | {_kb(row['page'])} | "
                     f"{row['excluded'] or '–'} |")
    rule = (f"Ett alternativ väljs framför konfigurationen i mkdocs.yml bara om det är mer än "
            f"{CHOICE_MARGIN:.0%} snabbare än `var`, mätt som medianen av kvoten mellan dem inom varje upprepning "
            "(två körningar av samma bygge kan skilja flera procent på en delad maskin), och om läsaren får samma "
            "webbplats och sidmålen nås.").replace("%", " %")
    if chosen is None:
        lines += ["", rule, "", "Ingen uppmätt konfiguration når sidmålen utan att ändra vad läsaren får."]
    elif chosen == "var":
        lines += ["", rule, "", "Valt: `var`, konfigurationen i mkdocs.yml. Inget alternativ som ger läsaren samma "
                  "webbplats och når sidmålen är tydligt snabbare."]
    else:
        lines += ["", rule, "", f"Valt: `{chosen}`, som är tydligt snabbare än konfigurationen i mkdocs.yml (`var`); "
                  "mkdocs.yml bör ändras till det."]
    import generate

    lines += ["", METHOD.strip().format(processes=len(generate.PROCESSES), roles=len(generate.ROLES),
                                        legal=len(generate.LEGAL), glossary=len(generate.GLOSSARY),
                                        findings=len(generate.FINDINGS))]
    return "\n".join(lines) + "\n"


METHOD = """
## Så mäts det

- `bench/generate.py` skriver en syntetisk handbok: register i samma storlek som de riktiga ({processes} processer,
  {roles} roller, {legal} lagrum, {glossary} begrepp, {findings} revisionsfynd), och rutiner med giltig framsidesdata, ungefär 600 ord
  i de riktiga rubrikerna, en tabell, länkar till relaterade rutiner och en egen processkarta med tio steg
  och `accTitle`/`accDescr`. Samma handbok utan `diagram:` ger bygget utan kartor.
- Vår webbplats (`var`) är repots `mkdocs.yml`, `overrides/`, `docs/assets/` och handbok-paketet, med repots meny
  utom redaktörsguidens handskrivna sidor (de hänvisar till de riktiga rutinerna); de genererade sidorna
  (översikt, register, begrepp) är med. `today` är fast så att datumlogiken är densamma i varje körning.
- Baslinjen är Material (sv, utan typsnitt från andra servrar) med sökning och samma Markdown-tillägg,
  rutinfilerna som de är i `docs/rutiner/` och en platt meny med alla rutiner – utan handbok-pluginet och
  mermaid2. För sökindexet (`--bara omladdning`) får baslinjen också våra genererade sidor (översikt,
  register, begrepp, Kontrollkoder) med den Markdown handbok-pluginet ger MkDocs, så att indexen jämförs på
  samma innehåll.
- Varje bygge är ett eget `mkdocs build --strict` från tom `site/`; byggena turas om i varje upprepning så
  att en stökig stund på maskinen drabbar alla lika. Handbokens cache (`HANDBOK_CACHE`, tolkade filer och
  Mermaids läsning av kartorna: omdömet och kartans innehåll, som textversionen skrivs från) ligger i
  arbetsmappen och är varm i byggena, som när en redaktör bygger en andra gång; `handbok check` mäts både med
  varm och kall cache. Med kall cache läser Mermaid varje karta under Node.js (i processortiden inom
  parentes ingår Node). Bara checken mäts av `make bench-check` (`bench/check.py`, `bench/RESULTAT-check.md`).
- Live reload: `make serve`s kommando (`mkdocs serve --dirty --strict`) startas på en ledig port på 127.0.0.1,
  ett utkast mitt i handboken får en ny rad, och sidan hämtas tills den nya raden finns med (högst 900 s);
  servern stoppas sedan. Kvoten är mot ett fullt `mkdocs build --strict` av samma handbok i samma körning.
  `python bench/run.py --bara omladdning` mäter bara detta, sökindexet och överföringen genom nginx.

## Vad handbok-pluginet gör för att nå målen

- **mermaid2s sidsteg som strängoperation** (`mkdocs_plugin/mermaid.py`, `fast_mermaid`): mermaid2 är kvar
  i `mkdocs.yml` och dess inställningar (`javascript`, `arguments`) bestämmer vad som läses in. Bara dess
  `on_post_page`, som tolkar om varje sida med BeautifulSoup, ersätts: samma två `<script>` sätts in före
  `</body>` på sidor med `pre.mermaid code`. Jämför `var` med `mermaid2-som-konfigurerat` ovan.
- **Färdig HTML hålls utanför Markdown** (`mkdocs_plugin/stash.py`): rutinsidans genererade block
  (sammanfattning, processkarta med textversion, ansvarstabell, lagrum, revisionsfynd) tolkas inte om av
  Python-Markdown utan sätts tillbaka i `on_page_content`, innan sökning och mallar ser sidan.
- **Mallarnas blanktecken slås ihop** (`mkdocs_plugin/compact.py`, `compact_html`): en stor del av en
  rutinsidas HTML är indrag från Materials mallar. Jämför sidstorleken för `var` och `utan-kompakt-html`.
- **Menyns länkar sätts ihop av delar** (`mkdocs_plugin/nav.py`, `fast_nav`): en länk till en annan sida ser
  likadan ut på alla sidor utom den relativa adressen. Materials makro i `partials/nav-item.html` renderar den
  första länken; den delas runt adress och titel, och de följande länkarna sätts ihop av delarna med adressen
  från MkDocs `url`-filter. De första jämförs med makrots egen utdata, och skiljer de sig stängs genvägen av.
  Testerna bygger samma handbok med och utan och jämför varje sida byte för byte. Jämför `var` med
  `utan-snabb-meny`.
- `navigation.prune` är kvar: utan den bär varje sida hela menyn (`utan-prune`).
"""
