"""The whole routine, from the worry to the koordinator taking over, in a nynorsk kommune and in a bokmål one
(issue 12): everything the commands print, every log entry they write and the invitation read as that
målform, with no English and no word from the other målform, and with names where the routine has them
(a foresatt, a service, a staff member are named, not shown by their ids).

The language follows the case: STAFETT_LANG is unset and the locale says nothing Norwegian.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from commands_kit import PEOPLE, SETTINGS, case_id_from, git, load, new_id, ok, stafett, write_kommune

NN_SETTINGS = (SETTINGS.replace("malform: nb", "malform: nn").replace("Barnehagene", "Barnehagane")
               .replace("Grunnskolene", "Grunnskulane")
               .replace("Helsestasjon og skolehelsetjeneste", "Helsestasjon og skulehelseteneste")
               .replace("Barnevernstjenesten", "Barnevernstenesta").replace("Koordinerende enhet", "Koordinerande eining"))

# What the coordinator types: their own words in their own målform (the checks read them back in the output).
WORDS = {
    "nn": {
        "settings": NN_SETTINGS,
        "beskrivelse": "Nora trekkjer seg unna og seier lite.",
        "onske_familie": "Mor ønskjer at kontaktlæraren følgjer opp.",
        "form": "skriftleg",
        "foresatte": "føresette",
        "tiltak": "Fast vaksen i friminutta",
        "mal": "Nora har nokon å vere saman med i friminutta.",
        "sted": "Testvik skule, møterom 2",
        "dagsorden": ["Korleis har Nora det?", "Tiltak", "Vegen vidare"],
        "kontakt": "Ringde mor og avtalte møtet.",
        "lysglimt": "Nora leikte med to andre i storefri.",
        "notat": ["1=Nora er stille heime òg.", "Tiltak=Held fram med fast vaksen."],
        "beslutning": "PPT vert kopla inn.",
        "oppgave": "siri.dahl,2026-09-30,Observere Nora i friminutta",
        "barnets_stemme": "Nora vil ha ein ven å gå heim med.",
        "rolle": "PPT-rådgjevar",
        "vurdering": "Nora er oftare saman med andre, men treng framleis støtte.",
        "barnets_syn": "Det er betre no.",
        "familiens_syn": "Mor ser at Nora gler seg meir til skulen.",
        "grunn_overlevering": "Behova ligg no mest hos PPT.",
        "onske": "Familien ønskjer PPT som kontakt.",
        "tiltak_vidare": "Utgreiing og tilrettelegging.",
        "koordineringsbehov": "Fleire tenester; rådgjevar med tid til koordinering.",
        "grunn_niva": "Omfattande samarbeid mellom fleire tenester.",
        "videre": "Siri held på stafettpinnen til koordinatoren er på plass.",
        "begrunnelse": "Nora har fått ein alvorleg diagnose og treng langvarige tenester.",
        "merknad": "Foreldra ønskjer IP.",
        "grunn_slutt": "koordinator tek over",
    },
    "nb": {
        "settings": SETTINGS,
        "beskrivelse": "Nora trekker seg unna og sier lite.",
        "onske_familie": "Mor ønsker at kontaktlæreren følger opp.",
        "form": "skriftlig",
        "foresatte": "foresatte",
        "tiltak": "Fast voksen i friminuttene",
        "mal": "Nora har noen å være sammen med i friminuttene.",
        "sted": "Testvik skole, møterom 2",
        "dagsorden": ["Hvordan har Nora det?", "Tiltak", "Veien videre"],
        "kontakt": "Ringte mor og avtalte møtet.",
        "lysglimt": "Nora lekte med to andre i storefri.",
        "notat": ["1=Nora er stille hjemme også.", "Tiltak=Fortsetter med fast voksen."],
        "beslutning": "PPT kobles inn.",
        "oppgave": "siri.dahl,2026-09-30,Observere Nora i friminuttene",
        "barnets_stemme": "Nora vil ha en venn å gå hjem med.",
        "rolle": "PPT-rådgiver",
        "vurdering": "Nora er oftere sammen med andre, men trenger fortsatt støtte.",
        "barnets_syn": "Det er bedre nå.",
        "familiens_syn": "Mor ser at Nora gleder seg mer til skolen.",
        "grunn_overlevering": "Behovene ligger nå mest hos PPT.",
        "onske": "Familien ønsker PPT som kontakt.",
        "tiltak_vidare": "Utredning og tilrettelegging.",
        "koordineringsbehov": "Flere tjenester; rådgiver med tid til koordinering.",
        "grunn_niva": "Omfattende samarbeid mellom flere tjenester.",
        "videre": "Siri beholder stafettpinnen til koordinator er på plass.",
        "begrunnelse": "Nora har fått en alvorlig diagnose og trenger langvarige tjenester.",
        "merknad": "Foreldrene ønsker IP.",
        "grunn_slutt": "koordinator overtar",
    },
}

# Words only one målform has: unambiguous markers, not words both share (eller, men, som).
BOKMAL = re.compile(r"\b(ikke|hvem|hva|hvordan|hvis|foresatte|foresatt|koordinerende|mye|noen|bare|fra|egen|eget|"
                    r"jeg|tjenesten?|tjenester|enhet|skolen?)\b", re.IGNORECASE)
NYNORSK = re.compile(r"\b(ikkje|kven|kva|korleis|dersom|føresette|føresett|koordinerande|mykje|nokon|nokre|berre|frå|"
                     r"eigen|eige|eg|tenesta|tenester|eining|skulen?|vert)\b", re.IGNORECASE)
# English words Norwegian does not share (not `to`, `for`, `no`, `plan`, `by`: those are Norwegian too).
ENGLISH = re.compile(r"\b(the|of|and|is|are|was|has|not|with|from|case|consent|meeting|handover|"
                     r"offered|accepted|approved|closed|added|planned|minutes|evaluation|goal|task|service|"
                     r"family|guardian|coordinator|contact|level|request(?:ed)?|yes|none|see|run|use|will)\b")
OTHER = {"nn": BOKMAL, "nb": NYNORSK}

STAFF = sorted(set(re.findall(r"- id: ([a-z]+\.[a-z]+)", PEOPLE)))
SERVICES = ["koordinerende-enhet", "helsestasjon", "barnehage", "barnevern", "ppt"]


def _words(line: str) -> str:
    """What a reader reads as words in one printed line: a command to type (in backticks), the case id,
    item ids, dates, option names and file paths are codes, and stay out of the checks."""
    line = re.sub(r"`[^`]*`", " ", line)
    line = re.sub(r"S-\d{8}-[a-z0-9]+", " ", line)
    line = re.sub(r"\b(?:t|m|mo|s|o|f)-[a-z0-9]+\b", " ", line)
    line = re.sub(r"--[a-z-]+", " ", line)
    line = re.sub(r"(?:/[^\s]+)+", " ", line)
    return line


def _raw_ids(line: str, foresatte: list[str]) -> list[str]:
    """Ids shown where a name belongs: a staff id, a foresatt's id or a service id as a word in a sentence."""
    line = re.sub(r"`[^`]*`", " ", line)
    line = re.sub(r"S-\d{8}-[a-z0-9]+", " ", line)
    line = re.sub(r"(?:/[^\s]+)+", " ", line)
    found = [i for i in STAFF if re.search(rf"(?<![\w.@-]){re.escape(i)}(?![\w@-]|\.\w)", line)]
    found += [i for i in foresatte if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", line)]
    # Service ids in lower case: `PPT` is the service's name, `ppt` its id.
    found += [i for i in SERVICES if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", line)]
    return found


@pytest.fixture
def kommune_in(tmp_path: Path, monkeypatch, request) -> tuple[Path, str]:
    lang = request.param
    monkeypatch.delenv("STAFETT_LANG", raising=False)  # the language follows the case
    monkeypatch.setenv("LANG", "C.UTF-8")
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "VISUAL", "EDITOR"):
        monkeypatch.delenv(var, raising=False)
    root = write_kommune(tmp_path / "testvik", settings=WORDS[lang]["settings"])
    git(root, "init", "-q")
    git(root, "config", "user.email", "mona.birkeland@testvik.example")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Testvik")
    return root, lang


@pytest.mark.parametrize("kommune_in", ["nn", "nb"], indirect=True)
def test_the_whole_routine_reads_in_the_kommunes_malform(kommune_in, monkeypatch, tmp_path: Path) -> None:
    root, lang = kommune_in
    w = WORDS[lang]
    printed: list[tuple[str, str]] = []  # (the command, one line it printed)
    state: dict = {}

    def shown(command: str, result) -> None:
        printed.extend((command, line) for line in (result.out + result.err).splitlines() if line.strip())

    # The coordinator starts a kommune folder of their own in the målform (its files are test_i18n's concern).
    made = stafett("init", tmp_path / "ny", "--kommune", "Testvik", "--malform", lang)
    assert made.code == 0, made.err
    shown("init", made)

    def step(today: str, *args: str):
        monkeypatch.setenv("STAFETT_TODAY", today)
        who = args[args.index("--by") + 1] if "--by" in args else "mona.birkeland"
        monkeypatch.setenv("GIT_AUTHOR_EMAIL", f"{who}@testvik.example")
        result = ok(*args, "-C", root)
        state["id"] = state.get("id") or case_id_from(result)
        shown(" ".join(map(str, args[:2])), result)
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", str(args[0]), who=who)
        return result, load(root, state["id"])

    def look(today: str, who: str) -> None:
        """What `status` tells the coordinator along the way: evaluations due, tasks, a pending handover."""
        monkeypatch.setenv("STAFETT_TODAY", today)
        for args in (("status",), ("status", "--mine", "--by", who)):
            shown("status", ok(*args, "-C", root))

    _, case = step("2026-09-01", "open", "--navn", "Nora Testdatter", "--kategori", "barn", "--fodselsdato", "2016-03-14",
                   "--beskrivelse", w["beskrivelse"], "--foresatt", "mor=Ida Testdatter,epost=ida@example.com",
                   "--foresatt", "far=Jon Testdatter")
    case_id = state["id"]
    mor = next(f.id for f in case.foresatte if f.relasjon == "mor")
    step("2026-09-03", "assign", case_id, "--stafettholder", "mona.birkeland", "--by", "hanne.rossland",
         "--familiens-onske", w["onske_familie"])
    step("2026-09-07", "consent", "add", case_id, "--gitt-av", mor, "--omfang", "stafettlogg", "--omfang", "skole",
         "--omfang", "ppt", "--omfang", "helsestasjon", "--omfang", "koordinerende-enhet", "--form", w["form"])
    result, _ = step("2026-09-07", "tiltak", "add", case_id, "--beskrivelse", w["tiltak"], "--ansvarlig", "mona.birkeland",
                     "--evalueres", "2026-10-19", "--nytt-mal", w["mal"])
    tiltak_id = new_id(result, "t")
    invite = tmp_path / "invitasjon.ics"
    agenda = [a for item in w["dagsorden"] for a in ("--dagsorden", item)]
    result, _ = step("2026-09-08", "meeting", "plan", case_id, "--tid", "2026-09-14 14:00", "--sted", w["sted"],
                     "--innkalt", w["foresatte"], "--innkalt", "siri.dahl", *agenda, "--ics", invite)
    meeting_id = new_id(result, "mo")
    step("2026-09-10", "log", case_id, w["kontakt"], "--med", w["foresatte"])
    step("2026-09-11", "log", case_id, w["lysglimt"], "--type", "lysglimt")
    step("2026-09-14", "meeting", "referat", case_id, meeting_id, "--tilstede", "mona.birkeland",
         "--tilstede", w["foresatte"], "--tilstede", "siri.dahl", "--notat", w["notat"][0], "--notat", w["notat"][1],
         "--beslutning", w["beslutning"], "--oppgave", w["oppgave"], "--barnets-stemme", w["barnets_stemme"],
         "--kopi-til", w["foresatte"], "--neste-mote", "2026-10-19 14:00")
    step("2026-09-14", "assign", case_id, "--deltaker", "siri.dahl", "--rolle", w["rolle"])
    look("2026-10-20", "mona.birkeland")  # the evaluation is due, Siri's task is overdue
    step("2026-10-19", "evaluate", case_id, tiltak_id, "--utfall", "effekt", "--vurdering", w["vurdering"],
         "--barnets-syn", w["barnets_syn"], "--familiens-syn", w["familiens_syn"], "--neste", "2026-12-14")
    step("2026-11-02", "handover", "offer", case_id, "--til", "siri.dahl", "--grunn", w["grunn_overlevering"],
         "--onske", w["onske"], "--tiltak", w["tiltak_vidare"], "--koordineringsbehov", w["koordineringsbehov"])
    look("2026-11-02", "tor.moen")  # the leader's approval waits
    step("2026-11-03", "handover", "approve", case_id, "--by", "tor.moen")
    look("2026-11-03", "siri.dahl")  # the baton waits for Siri
    step("2026-11-04", "handover", "accept", case_id, "--by", "siri.dahl")
    step("2026-11-10", "escalate", case_id, "--niva", "3", "--grunn", w["grunn_niva"],
         "--stafettholder-videre", w["videre"], "--by", "siri.dahl")
    step("2026-11-10", "escalate", case_id, "--koordinator", "barnekoordinator",
         "--kriterium", "alvorlig-sykdom-skade-funksjonsnedsettelse", "--kriterium", "langvarige-sammensatte-tjenester",
         "--begrunnelse", w["begrunnelse"], "--ip", "tilbudt", "--by", "siri.dahl")
    look("2026-11-19", "tove.ke")  # koordinerende enhet has a request to answer
    step("2026-11-20", "assign", case_id, "--koordinator", "anne.ek", "--by", "tove.ke")
    step("2026-11-24", "escalate", case_id, "--ip", "onsket", "--merknad", w["merknad"], "--by", "anne.ek")
    # Off a terminal, without --yes, close refuses in one line that names what it would end.
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "siri.dahl@testvik.example")
    unconfirmed = stafett("close", case_id, "--grunn", w["grunn_slutt"], "--by", "siri.dahl", "-C", root)
    assert unconfirmed.code != 0 and "Anne Ek" in unconfirmed.err, unconfirmed.err
    shown("close", unconfirmed)
    _, case = step("2026-11-24", "close", case_id, "--grunn", w["grunn_slutt"], "--yes", "--by", "siri.dahl")
    assert case.stafettholder.person == "anne.ek", "the walk itself must have worked"
    look("2026-12-20", "anne.ek")

    foresatte = [f.id for f in case.foresatte]
    logged = [("logg", line) for entry in case.logg for line in entry.tekst.splitlines() if line.strip()]
    # The invitation's text lines, folded lines joined, without the calendar's own keys.
    ics = re.sub(r"\r?\n[ \t]", "", invite.read_text(encoding="utf-8"))
    invitation = [("ics", line.split(":", 1)[1].replace("\\n", " ").replace("\\,", ","))
                  for line in ics.splitlines() if re.match(r"(SUMMARY|DESCRIPTION|LOCATION)[;:]", line)]
    assert invitation, ics

    problems = []
    for where, line in [*printed, *logged, *invitation]:
        words = _words(line)
        for kind, pattern in (("other målform", OTHER[lang]), ("English", ENGLISH)):
            found = pattern.search(words)
            if found:
                problems.append(f"{kind} {found.group(0)!r} in {where}: {line}")
        # Status rows are sentences too: people, foresatte and services by name (the who column as well).
        raw = _raw_ids(line, foresatte)
        if raw:
            problems.append(f"ids {raw} in {where}: {line}")
    assert not problems, "\n".join(problems)
