"""A coordinator's comments and formatting survive every command: comments at the top, between keys, at
the end of lines, inside lists and at the end of the file are all still there after each change, and a
file with Windows line endings keeps them."""

from __future__ import annotations

from pathlib import Path

import pytest

from commands_kit import case_file, load, ok, write_case, write_kommune

C = "S-20260901-komm01"

COMMENTED = """\
# yaml-language-server: $schema=../schemas/sak.schema.json
# KOMMENTAR-TOPP: saken er drøftet med rektor 1.9.
versjon: 2
id: S-20260901-komm01
opprettet: 2026-09-01
status: aktiv
niva: 1   # KOMMENTAR-EOL-NIVA

# KOMMENTAR-MELLOM-NOKLER: om hovedpersonen
hovedperson:
  navn: Nora Testdatter
  # KOMMENTAR-INNE-I-MAPPING
  kategori: barn
  fodselsdato: 2016-03-14
foresatte:
  - id: f-mor
    navn: Ida Testdatter
    relasjon: mor
    epost: ida@example.com
  # KOMMENTAR-MELLOM-LISTEELEMENTER
  - id: f-far   # KOMMENTAR-EOL-I-LISTE
    navn: Jon Testdatter
    relasjon: far
bekymring:
  dato: 2026-09-01
  meldt_av: mona.birkeland
  tjeneste: skole
  beskrivelse: |
    Nora trekker seg unna i friminuttene.
    # dette er tekst i en blokk, ikke en kommentar
eier: mona.birkeland
stafettholder:
  person: mona.birkeland   # KOMMENTAR-EOL-STAFETTHOLDER
  fra: 2026-09-03
  oppnevnt_av: hanne.rossland
samtykker:
  - id: s-logg
    gitt_av: f-mor
    dato: 2026-09-07
    omfang:
      - stafettlogg
      - skole   # KOMMENTAR-EOL-OMFANG
      - helsestasjon
    form: skriftlig
    registrert_av: mona.birkeland
    # KOMMENTAR-ETTER-SAMTYKKE: skjemaet er skannet inn i Vigilo.
mal:
  - id: m-venner
    tekst: Nora har noen å være sammen med i friminuttene.
tiltak:
  - id: t-friminutt
    beskrivelse: Voksen ute i friminuttene
    mal: [m-venner]   # KOMMENTAR-FLYTLISTE
    ansvarlig: mona.birkeland
    start: 2026-09-08
    evalueres: 2026-12-15
    status: aktiv
# KOMMENTAR-FOR-MOTENE
moter:
  - id: mo-forste
    type: samarbeidsmøte
    nummer: 1
    tidspunkt: 2026-11-20 14:00:00
    sted: Testvik skole
    leder: mona.birkeland
    referent: mona.birkeland
    innkalt:
      - f-mor
      - mona.birkeland
    dagsorden:
      - Hvordan går det?
      - Tiltak
logg:
  - tid: 2026-09-01 09:00:00
    av: mona.birkeland
    type: opprettet
    tekst: Bekymring registrert.
  # KOMMENTAR-MELLOM-LOGGFORINGER
  - tid: 2026-09-03 10:00:00
    av: hanne.rossland
    type: oppnevning
    tekst: "Mona Birkeland er stafettholder."   # KOMMENTAR-EOL-SITERT
# KOMMENTAR-SLUTT: siste linje i filen
"""

COMMENTS = [line.split("#", 1)[1].strip() for line in COMMENTED.splitlines() if "# KOMMENTAR" in line]
OFFER = ["handover", "offer", C, "--grunn", "Vurdert i samarbeidsmøtet.", "--onske", "Mor ønsker det.",
         "--tiltak", "Tilrettelegging.", "--koordineringsbehov", "Moderat.", "--by", "mona.birkeland"]

# (today, command): every command, in an order the routines allow.
SEQUENCE = [
    ("2026-11-23", ["consent", "add", C, "--gitt-av", "f-mor", "--omfang", "ppt", "--omfang", "koordinerende-enhet",
                    "--utloper", "2027-06-30", "--by", "mona.birkeland"]),
    ("2026-11-23", ["assign", C, "--deltaker", "siri.dahl", "--rolle", "PPT-rådgiver", "--by", "mona.birkeland"]),
    ("2026-11-23", ["log", C, "Ringte mor.", "--med", "foresatte", "--by", "mona.birkeland"]),
    ("2026-11-23", ["log", C, "Nora lo i storefri.", "--type", "lysglimt", "--by", "mona.birkeland"]),
    ("2026-11-23", ["log", C, "Internt notat.", "--skjermet", "--by", "mona.birkeland"]),
    ("2026-11-23", ["tiltak", "add", C, "--beskrivelse", "Vennegruppe", "--ansvarlig", "siri.dahl", "--evalueres", "2027-01-20",
                    "--nytt-mal", "Nora har en venn.", "--nytt-utviklingsomrade", "Sosial fungering", "--by", "mona.birkeland"]),
    ("2026-11-23", ["tiltak", "adjust", C, "t-friminutt", "--evalueres", "2026-12-01", "--by", "mona.birkeland"]),
    ("2026-11-24", ["evaluate", C, "t-friminutt", "--utfall", "effekt", "--vurdering", "Bedre.", "--neste", "2027-01-15",
                    "--barnets-syn", "Det går bedre.", "--by", "mona.birkeland"]),
    ("2026-11-24", ["meeting", "plan", C, "--type", "evalueringsmøte", "--tid", "2026-12-10 13:00", "--sted", "Skolen",
                    "--innkalt", "foresatte", "--innkalt", "siri.dahl", "--dagsorden", "Evaluering", "--no-ics",
                    "--by", "mona.birkeland"]),
    ("2026-11-24", ["meeting", "referat", C, "mo-forste", "--tilstede", "mona.birkeland", "--tilstede", "f-mor",
                    "--notat", "1=Bedre nå.", "--beslutning", "Fortsetter.", "--oppgave", "mona.birkeland,2026-12-01,Ringe far",
                    "--barnets-stemme-mangler", "Nora var syk.", "--kopi-til", "foresatte", "--by", "mona.birkeland"]),
    ("2026-11-24", [*OFFER, "--til", "erik.vatne"]),
    ("2026-11-24", ["handover", "decline", C, "--grunn", "Har ikke kapasitet.", "--by", "erik.vatne"]),
    ("2026-11-24", [*OFFER, "--til", "erik.vatne"]),
    ("2026-11-24", ["handover", "cancel", C, "--by", "mona.birkeland"]),
    ("2026-11-25", [*OFFER, "--til", "siri.dahl"]),
    ("2026-11-25", ["handover", "approve", C, "--by", "tor.moen"]),
    ("2026-11-25", ["handover", "accept", C, "--by", "siri.dahl"]),
    ("2026-11-25", ["escalate", C, "--niva", "2", "--grunn", "To tjenester samarbeider.", "--by", "siri.dahl"]),
    ("2026-11-25", ["escalate", C, "--koordinator", "barnekoordinator", "--kriterium", "alvorlig-sykdom-skade-funksjonsnedsettelse",
                    "--kriterium", "langvarige-sammensatte-tjenester", "--begrunnelse", "Alvorlig sykdom.", "--by", "siri.dahl"]),
    ("2026-11-26", ["assign", C, "--koordinator", "anne.ek", "--by", "tove.ke"]),
    ("2026-11-26", ["escalate", C, "--ip", "tilbudt", "--by", "anne.ek"]),
    ("2026-11-27", ["escalate", C, "--ip", "avslatt", "--merknad", "Familien vil vente.", "--by", "anne.ek"]),
    ("2026-11-27", ["suspicion", "consult", C, "--med", "barnevern", "--konsultert", "anonym drøfting",
                    "--rad", "Drøftet med barnevernet.", "--familiekontakt", "klarert", "--by", "siri.dahl"]),
    ("2026-11-27", ["tiltak", "end", C, "t-friminutt", "--grunn", "Ikke lenger nødvendig.", "--by", "siri.dahl"]),
    ("2026-11-28", ["assign", C, "--deltaker", "siri.dahl", "--slutt", "--by", "siri.dahl"]),
    ("2026-11-28", ["close", C, "--grunn", "trygt", "--yes", "--by", "siri.dahl"]),
]


@pytest.fixture
def kommune(tmp_path: Path) -> Path:
    return write_kommune(tmp_path / "testvik")


def _run_all(kommune: Path, monkeypatch, check) -> None:
    path = case_file(kommune, C)
    for n, (today, args) in enumerate(SEQUENCE):
        monkeypatch.setenv("STAFETT_TODAY", today)
        before = len(load(kommune, C).logg)
        ok(*args, "-C", kommune)
        assert len(load(kommune, C).logg) == before + 1, f"step {n} ({args[0]})"
        check(path.read_bytes(), f"after step {n}: {' '.join(args[:2])}")
    assert load(kommune, C).status == "avsluttet"
    assert ok("validate", kommune, "-j", "1").code == 0


def test_every_comment_survives_every_command(kommune: Path, monkeypatch) -> None:
    write_case(kommune, COMMENTED)

    def check(raw: bytes, when: str) -> None:
        text = raw.decode("utf-8")
        missing = [c for c in COMMENTS if c not in text]
        assert not missing, f"{when}: lost {missing}"
        assert text.startswith("# yaml-language-server: $schema=../schemas/sak.schema.json\n# KOMMENTAR-TOPP"), when
        assert "  beskrivelse: |\n    Nora trekker seg unna i friminuttene.\n    # dette er tekst" in text, when
        assert '    tekst: "Mona Birkeland er stafettholder."   # KOMMENTAR-EOL-SITERT' in text, f"{when}: quoting changed"

    _run_all(kommune, monkeypatch, check)


def test_windows_line_endings_survive_every_command(kommune: Path, monkeypatch) -> None:
    write_case(kommune, COMMENTED)
    path = case_file(kommune, C)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))

    def check(raw: bytes, when: str) -> None:
        assert raw.count(b"\n") == raw.count(b"\r\n"), f"{when}: a bare LF crept in"
        text = raw.decode("utf-8")
        assert not [c for c in COMMENTS if c not in text], when

    _run_all(kommune, monkeypatch, check)


def test_an_unchanged_file_stays_byte_identical_after_a_refusal(kommune: Path, monkeypatch) -> None:
    monkeypatch.setenv("STAFETT_TODAY", "2026-11-23")
    write_case(kommune, COMMENTED)
    path = case_file(kommune, C)
    raw = path.read_bytes()
    from commands_kit import stafett

    assert stafett("assign", C, "--deltaker", "siri.dahl", "--by", "mona.birkeland", "-C", kommune).code != 0
    assert path.read_bytes() == raw


def test_a_note_under_the_last_item_stays_with_that_item(kommune: Path, monkeypatch) -> None:
    """A comment indented under the last list item or block speaks of it: what a command appends goes below
    the note, not between the item and its note (where the note would seem to describe the new item)."""
    monkeypatch.setenv("STAFETT_TODAY", "2026-11-23")
    text = COMMENTED.replace("    relasjon: far\n", "    relasjon: far\n    # KOMMENTAR-OM-FAR: bor i Bergen.\n")
    write_case(kommune, text)
    ok("consent", "add", C, "--gitt-av", "f-far", "--omfang", "ppt", "--by", "mona.birkeland", "-C", kommune)
    ok("family", "add", C, "--navn", "Berit Testdatter", "--relasjon", "mormor", "--by", "mona.birkeland", "-C", kommune)
    after = case_file(kommune, C).read_text(encoding="utf-8")
    assert "    registrert_av: mona.birkeland\n    # KOMMENTAR-ETTER-SAMTYKKE: skjemaet er skannet inn i Vigilo.\n  - id: s-" \
        in after
    assert "    relasjon: far\n    # KOMMENTAR-OM-FAR: bor i Bergen.\n" in after
    # The comment introducing the meetings still introduces them.
    assert "# KOMMENTAR-FOR-MOTENE\nmoter:\n" in after
    assert ok("validate", kommune, "-j", "1").code == 0
