"""The Swedish grammar of follow-up intervals (``core.frequency``) on real phrasings.

The follow-up texts of every routine in ``routines/`` are read from the files,
so a new routine's wording is held to the grammar as soon as it is added.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from handbok.core import frequency
from handbok.core.loader import load_handbook

REPO = Path(__file__).resolve().parent.parent

# (text, the interval phrases the grammar must find)
STATES = [
    ("Följs upp varje vecka.", ["varje vecka"]),
    ("Närvaro rapporteras varje månad.", ["varje månad"]),
    ("Enhetscheferna följer varje kvartal upp tiden från beslut till start.", ["varje kvartal"]),
    ("Planen följs upp minst var tredje månad.", ["minst var tredje månad"]),
    ("Uppföljning var sjätte månad.", ["var sjätte månad"]),
    ("Avstämning var 14:e dag.", ["var 14:e dag"]),
    ("Jobbcoachen följer upp minst varannan vecka.", ["minst varannan vecka"]),
    ("Rutinen revideras vartannat år.", ["vartannat år"]),
    ("Ett uppföljningsmöte hålls senast tre månader efter start.", ["senast tre månader efter start"]),
    ("Första uppföljningen senast tre månader efter beslutet.", ["senast tre månader efter beslutet"]),
    ("En avstämning görs fyra veckor efter start.", ["fyra veckor efter start"]),
    ("Kontroll sex och tolv månader efter avslut.", ["sex och tolv månader efter avslut"]),
    ("Kvalitetsutvecklaren sammanställer två gånger per år.", ["två gånger per år"]),
    ("Nämnden får en rapport tre gånger per år.", ["tre gånger per år"]),
    ("Jobbcoachen träffar handledaren minst en gång i månaden.", ["minst en gång i månaden"]),
    ("Ett möte per kvartal.", ["Ett möte per kvartal"]),
    ("Genomgång en gång om året.", ["en gång om året"]),
    ("Handläggaren svarar inom fem arbetsdagar.", ["inom fem arbetsdagar"]),
    ("Beslutet skickas inom en vecka.", ["inom en vecka"]),
    ("Avvikelsen rapporteras inom 24 timmar.", ["inom 24 timmar"]),
    ("Teamledaren går igenom alla nya anvisningar vid den veckovisa ärendegenomgången.", ["veckovisa"]),
    ("Sammanställs kvartalsvis.", ["kvartalsvis"]),
    ("Årligen, i verksamhetsberättelsen.", ["Årligen"]),
    ("Arbetsgruppen går igenom varje deltagare vid sitt månadsmöte.", ["månadsmöte"]),
    ("Resultaten redovisas vid tertialuppföljning 1 och 2.", ["tertialuppföljning"]),
    ("Rapporten lämnas senast den 31 mars.", ["senast den 31 mars"]),
    ("Planen ska vara klar senast 2027-03-31.", ["senast 2027-03-31"]),
    ("Närvaron registreras samma dag.", ["samma dag"]),
    ("Närvaron rapporteras per månad.", ["per månad"]),
    ("Uppföljning per kvartal och vid behov.", ["per kvartal"]),
    ("Beslutet skickas senast dagen efter mötet.", ["dagen efter mötet"]),
    ("Nästa steg bokas nästa arbetsdag.", ["nästa arbetsdag"]),
    ("Enhetschefen går igenom listan vid månadsskiftet.", ["månadsskiftet"]),
    ("Tio gånger per termin.", ["Tio gånger per termin"]),
    ("Konsulenten följer upp inom 14 dagar.", ["inom 14 dagar"]),
    ("Löpande och minst var tredje månad.", ["minst var tredje månad"]),
    ("FÖLJS UPP VARJE MÅNAD.", ["VARJE MÅNAD"]),
    ("Följs upp\n  varje\tmånad.", ["varje månad"]),
]

# (text, the vague words a message should name)
VAGUE = [
    ("Följs upp regelbundet.", ["regelbundet"]),
    ("Uppföljning sker vid behov.", ["vid behov"]),
    ("Insatsen följs upp löpande.", ["löpande"]),
    ("Följs upp kontinuerligt och vid behov.", ["kontinuerligt", "vid behov"]),
    ("Handledaren och konsulenten har återkommande kontakt.", ["återkommande"]),
    ("Avstämning med jämna mellanrum.", ["med jämna mellanrum"]),
    ("Följs upp när det behövs.", ["när det behövs"]),
    ("Uppföljning görs en gång.", []),
    ("Insatsen pågår i tre månader.", []),
    ("Under de tre första månaderna följer jobbcoachen upp.", []),
    ("Det var en gång en rutin.", []),
    ("Kostnaden beräknas för varje deltagare.", []),
    ("Avstämning vid varje möte.", []),
    ("Socialsekreteraren följer upp insatsen.", []),
]


@pytest.mark.parametrize("text, phrases", STATES, ids=[t for t, _ in STATES])
def test_phrasings_that_state_an_interval(text, phrases):
    assert frequency.states_interval(text)
    assert [i.text for i in frequency.intervals(text)] == phrases


@pytest.mark.parametrize("text, words", VAGUE, ids=[t for t, _ in VAGUE])
def test_phrasings_that_do_not(text, words):
    assert not frequency.states_interval(text), frequency.intervals(text)
    assert frequency.vague_terms(text) == words


def test_kinds_tell_a_frequency_from_a_deadline():
    found = frequency.intervals("Varje månad, och senast tre månader efter start.")
    assert [(i.kind, i.text) for i in found] == [("frekvens", "Varje månad"),
                                                 ("tidsgräns", "senast tre månader efter start")]


def test_every_routine_in_the_handbook_states_its_follow_up():
    handbook = load_handbook(REPO)
    texts = {s.display: s.routine.follow_up for s in handbook.routines.values() if s.routine.follow_up}
    # Drafts too: every routine here is meant to be put before the nämnd.
    current = [s.display for s in handbook.routines.values() if s.routine.status != "upphävd"]
    assert current and set(current) <= set(texts), "en rutin saknar follow_up"
    vague = {display: text for display, text in texts.items() if not frequency.states_interval(text)}
    assert vague == {}


def test_the_examples_in_hints_are_recognised():
    for example in frequency.EXAMPLES:
        assert [i.text for i in frequency.intervals(example)] == [example]


def test_empty_text():
    assert not frequency.states_interval(None) and not frequency.states_interval("")
    assert frequency.vague_terms(None) == []
