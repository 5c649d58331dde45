"""`stafett copy`: the record of every copy sent, its check of the family's copy, and where it shows.

Every test runs the CLI on real files in a git repository: the invented Testvik kommune and one active case
whose first meeting has a referat. A copy is recorded with its recipients, document, the git commit and the
SHA-256 of the file sent, the channel and the date; a copy to the family is read and checked for what only
staff may read before anything is recorded; `status` names who has not had the stafettlogg since the last
meeting; every render lists the copies sent.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from commands_kit import ACTIVE, ACTIVE_ID, git, load, ok, stafett, write_case, write_kommune

C = ACTIVE_ID
TODAY = "2026-11-25"
LAYOUTS = ("standard", "vigilo", "profil", "infodoc", "hk-oppvekst", "familia", "compilo")

# The active case, with two more participants and a referat for its first meeting (20.11.2026).
CASE = ACTIVE.replace("""mal:
  - id: m-venner""", """deltakere:
  - person: anne.ek
    tjeneste: helsestasjon
    rolle: helsesykepleier
    fra: 2026-09-10
  - person: erik.vatne
    tjeneste: skole
    rolle: kontaktlærer
    fra: 2026-09-10
mal:
  - id: m-venner""").replace("""    innkalt:
      - f-mor
      - mona.birkeland
    dagsorden:
      - Hvordan går det?
      - Tiltak
""", """    innkalt:
      - f-mor
      - mona.birkeland
      - anne.ek
    dagsorden:
      - Hvordan går det?
      - Tiltak
    referat:
      skrevet: 2026-11-20
      skrevet_av: mona.birkeland
      tilstede:
        - f-mor
        - mona.birkeland
        - anne.ek
      samtykker:
        - s-logg
      beslutninger:
        - Voksen ute i friminuttene fortsetter.
      barnets_stemme: Nora vil ha en fast voksen å gå til.
""")
SECOND_REFERAT = """    referat:
      skrevet: 2026-12-15
      skrevet_av: mona.birkeland
      tilstede:
        - f-mor
        - mona.birkeland
      samtykker:
        - s-logg
      beslutninger:
        - Tiltaket evalueres i februar.
      barnets_stemme: Nora sier friminuttene er bedre.
"""


@pytest.fixture(autouse=True)
def pinned_day(monkeypatch):
    monkeypatch.setenv("STAFETT_TODAY", TODAY)
    monkeypatch.delenv("CI", raising=False)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = write_kommune(tmp_path / "testvik")
    assert "referat:" in CASE and "deltakere:" in CASE, "the case text did not take the additions"
    write_case(folder, CASE)
    ok("validate", folder)
    git(folder, "init", "-q", ".")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "sak")
    return folder


def case_path(root: Path) -> Path:
    return root / "saker" / f"{C}.yaml"


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def commit(root: Path, message: str = "endring") -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def render(root: Path, target: Path, *args: str) -> Path:
    ok("render", C, *args, "-o", target, "-C", root)
    return target


def copy(root: Path, *args: str):
    return stafett("copy", C, *args, "--by", "mona.birkeland", "-C", root)


def refused(root: Path, result, says: str, before: bytes) -> None:
    assert result.code != 0, result.out
    assert len(result.err_lines) == 1 and says in result.err and "Traceback" not in result.err, result.err
    assert case_path(root).read_bytes() == before, "a refused copy changed the record"


def owed(root: Path) -> list[dict]:
    data = json.loads(ok("status", "--format", "json", "-C", root).out)
    return [item for item in data["items"] if item["kind"] == "kopi" and item["case"] == C]


# ---------- recording ----------

def test_a_copy_is_recorded_with_recipients_document_commit_hash_channel_and_date(root: Path, tmp_path: Path):
    sent = render(root, tmp_path / f"{C}-stafettlogg.html")
    result = copy(root, "--til", "anne.ek", "--til", "erik.vatne", "--dokument", "stafettlogg", "--fil", sent,
                  "--kanal", "svarut", "--dato", "2026-11-24")
    assert result.code == 0, result.err
    k = load(root, C).kopier[-1]
    digest = hashlib.sha256(sent.read_bytes()).hexdigest()
    assert (k.til, k.dokument, k.format, k.kanal, k.dato.isoformat(), k.kopi_for, k.sendt_av) == (
        ["anne.ek", "erik.vatne"], "stafettlogg", "html", "svarut", "2026-11-24", "tjenester", "mona.birkeland")
    assert k.commit == head(root) and k.sha256 == digest
    assert k.id in result.out and digest[:12] in result.out and head(root)[:7] in result.out
    entry = load(root, C).logg[-1]
    assert entry.type == "kopi" and entry.av == "mona.birkeland"
    assert "Anne Ek, Erik Vatne" in entry.tekst and "SvarUt" in entry.tekst and digest[:12] in entry.tekst
    assert f"commit {head(root)[:7]}" in entry.tekst

    # Every channel; a referat names its meeting; the format follows the file.
    commit(root)
    for n, kanal in enumerate(("epost", "post", "digipost", "overlevert")):
        ok("copy", C, "--til", "anne.ek", "--dokument", "stafettlogg", "--fil", sent, "--kanal", kanal,
           "--by", "mona.birkeland", "-C", root)
        assert load(root, C).kopier[-1].kanal == kanal
    referat = render(root, tmp_path / f"{C}-referat.md", "--meeting", "mo-forste")
    ok("copy", C, "--til", "anne.ek", "--dokument", "referat", "--mote", "mo-forste", "--fil", referat,
       "--kanal", "epost", "--by", "mona.birkeland", "-C", root)
    k = load(root, C).kopier[-1]
    assert (k.dokument, k.mote, k.format) == ("referat", "mo-forste", "md")


def test_a_change_not_committed_is_said_and_no_git_means_no_commit(root: Path, tmp_path: Path):
    sent = render(root, tmp_path / "logg.md")
    ok("log", C, "Ringte mor.", "--med", "f-mor", "--by", "mona.birkeland", "-C", root)  # not committed
    result = copy(root, "--til", "anne.ek", "--dokument", "stafettlogg", "--fil", sent, "--kanal", "epost")
    assert result.code == 0 and "has changes not committed" in result.err
    assert load(root, C).kopier[-1].commit == head(root)

    plain = tmp_path / "utengit"
    shutil.copytree(root, plain, ignore=shutil.ignore_patterns(".git"))
    result = copy(plain, "--til", "anne.ek", "--dokument", "stafettlogg", "--fil", sent, "--kanal", "post")
    assert result.code == 0 and "no git commit" in result.err
    assert load(plain, C).kopier[-1].commit is None


@pytest.mark.parametrize("args,says", [
    (("--til", "anne.ek", "--kanal", "faks"), "unknown channel 'faks'"),
    (("--til", "anne.ek", "--kanal", "epost", "--dokument", "brev"), "unknown document 'brev'"),
    (("--til", "finnesikke", "--kanal", "epost"), "unknown recipient 'finnesikke'"),
    (("--til", "anne.ek", "--kanal", "epost", "--dato", "2026-12-24"), "2026-12-24"),
    (("--til", "anne.ek", "--kanal", "epost", "--dokument", "referat"), "--mote"),
    (("--til", "siri.dahl", "--kanal", "epost"), "no active consent covers 'ppt'"),  # PPT is not under consent
    (("--til", "anne.ek", "--kanal", "epost", "--fil", "finnes-ikke.md"), "no file"),
    (("--til", "anne.ek", "--kanal", "epost", "--fil", "logg.docx"), ".docx"),
])
def test_refusals_are_one_line_and_record_nothing(root: Path, tmp_path: Path, monkeypatch, args, says):
    sent = render(root, tmp_path / "logg.md")
    (tmp_path / "logg.docx").write_bytes(b"PK\x03\x04")
    monkeypatch.chdir(tmp_path)
    before = case_path(root).read_bytes()
    if "--dokument" not in args:
        args = (*args, "--dokument", "stafettlogg")
    if "--fil" not in args:
        args = (*args, "--fil", str(sent))
    refused(root, copy(root, *args), says, before)


# ---------- the family's copy ----------

def _flag_and_clear(root: Path, monkeypatch, clear: bool = True) -> None:
    """A suspicion of violence and a skjermet note, then (when `clear`) the consultation that clears contact."""
    steps = [("2026-11-21", ("suspicion", "raise", C, "--grunn", "GRUNN-HEMMELIG: Nora fortalte om slag.")),
             ("2026-11-21", ("log", C, "VINDU-NOTAT-HEMMELIG: drøftet med rektor.")),
             ("2026-11-22", ("log", C, "SKJERMET-HEMMELIG notat om hjemmet.", "--skjermet"))]
    if clear:
        steps.append(("2026-11-23", ("suspicion", "consult", C, "--med", "politi", "--konsultert", "KONSULTERT-NAVN",
                                     "--rad", "RAD-KLARERT-HEMMELIG: familien kan kontaktes.",
                                     "--familiekontakt", "klarert")))
    for day, args in steps:
        monkeypatch.setenv("STAFETT_TODAY", day)
        ok(*args, "--by", "mona.birkeland", "-C", root)
    monkeypatch.setenv("STAFETT_TODAY", TODAY)
    commit(root, "mistanke")


def test_the_family_copy_is_checked_before_it_is_recorded(root: Path, tmp_path: Path, monkeypatch):
    _flag_and_clear(root, monkeypatch)
    family = render(root, tmp_path / "familie.md", "--for", "foresatte")
    staff = render(root, tmp_path / "tjenester.md")
    assert "SKJERMET-HEMMELIG" in staff.read_text(encoding="utf-8")
    before = case_path(root).read_bytes()

    # The staff edition to the family: refused, whether it says it is the family's or not.
    refused(root, copy(root, "--til", "f-mor", "--dokument", "stafettlogg", "--fil", staff, "--kanal", "epost",
                       "--for", "foresatte"), "not a family copy", before)
    refused(root, copy(root, "--til", "foresatte", "--dokument", "stafettlogg", "--fil", family, "--kanal", "epost"),
            "must be the family's edition", before)
    # A family copy someone added a protected text to, and one that kept only the banner.
    for secret in ("SKJERMET-HEMMELIG notat om hjemmet.", "GRUNN-HEMMELIG: Nora fortalte om slag.",
                   "RAD-KLARERT-HEMMELIG: familien kan kontaktes.", "VINDU-NOTAT-HEMMELIG: drøftet med rektor."):
        edited = tmp_path / "redigert.md"
        edited.write_text(family.read_text(encoding="utf-8") + f"\n\n{secret}\n", encoding="utf-8")
        refused(root, copy(root, "--til", "f-mor", "--dokument", "stafettlogg", "--fil", edited, "--kanal", "post",
                           "--for", "foresatte"), "protected content", before)
    # The family's own edition goes through, to both foresatte.
    ok("copy", C, "--til", "foresatte", "--dokument", "stafettlogg", "--fil", family, "--kanal", "epost",
       "--for", "foresatte", "--by", "mona.birkeland", "-C", root)
    k = load(root, C).kopier[-1]
    assert (k.til, k.kopi_for, k.format) == (["f-mor", "f-far"], "foresatte", "md")
    assert k.sha256 == hashlib.sha256(family.read_bytes()).hexdigest()


def test_no_copy_goes_to_the_family_while_contact_is_blocked(root: Path, tmp_path: Path, monkeypatch):
    family = render(root, tmp_path / "familie.md", "--for", "foresatte")  # made before the suspicion
    _flag_and_clear(root, monkeypatch, clear=False)
    blocked = stafett("render", C, "--for", "foresatte", "-o", tmp_path / "ny.md", "-C", root)
    assert blocked.code != 0 and not (tmp_path / "ny.md").exists(), "render makes no family copy either"
    before = case_path(root).read_bytes()
    refused(root, copy(root, "--til", "foresatte", "--dokument", "stafettlogg", "--fil", family, "--kanal", "epost",
                       "--for", "foresatte"), "no copy goes to the family", before)
    # Staff still get theirs, and status does not ask for a family copy while contact is blocked.
    ok("copy", C, "--til", "anne.ek", "--til", "erik.vatne", "--dokument", "stafettlogg", "--fil", family,
       "--kanal", "svarut", "--by", "mona.birkeland", "-C", root)
    assert owed(root) == []


pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")


@pdftotext
def test_the_family_copy_as_pdf_is_read_and_checked_too(root: Path, tmp_path: Path, monkeypatch):
    pytest.importorskip("weasyprint")
    _flag_and_clear(root, monkeypatch)
    family = render(root, tmp_path / "familie.pdf", "--for", "foresatte")
    staff = render(root, tmp_path / "tjenester.pdf")
    before = case_path(root).read_bytes()
    refused(root, copy(root, "--til", "f-mor", "--dokument", "stafettlogg", "--fil", staff, "--kanal", "digipost",
                       "--for", "foresatte"), "not a family copy", before)
    ok("copy", C, "--til", "f-mor", "--dokument", "stafettlogg", "--fil", family, "--kanal", "digipost",
       "--for", "foresatte", "--by", "mona.birkeland", "-C", root)
    k = load(root, C).kopier[-1]
    assert (k.format, k.sha256) == ("pdf", hashlib.sha256(family.read_bytes()).hexdigest())


# ---------- status: who has not had the latest stafettlogg ----------

def test_status_shows_who_has_not_had_the_stafettlogg_since_the_last_meeting(root: Path, tmp_path: Path,
                                                                             monkeypatch):
    [item] = owed(root)
    assert "mo-forste" in item["text"] and item["who"] == ["mona.birkeland"]
    for one in ("Ida Testdatter", "Jon Testdatter", "Anne Ek", "Erik Vatne"):  # by name, never by id
        assert one in item["text"]
    assert "Mona Birkeland" not in item["text"].split("to:")[1], "the stafettholder sends it"
    table = ok("status", "-C", root).out
    assert "stafettlogg not sent after meeting mo-forste" in table

    staff = render(root, tmp_path / "tjenester.md")
    # A copy dated before the meeting is not the latest stafettlogg.
    ok("copy", C, "--til", "anne.ek", "--dokument", "stafettlogg", "--fil", staff, "--kanal", "epost",
       "--dato", "2026-11-19", "--by", "mona.birkeland", "-C", root)
    assert "Anne Ek" in owed(root)[0]["text"]
    ok("copy", C, "--til", "anne.ek", "--til", "erik.vatne", "--dokument", "stafettlogg", "--fil", staff,
       "--kanal", "svarut", "--dato", "2026-11-21", "--by", "mona.birkeland", "-C", root)
    [item] = owed(root)
    assert "Anne Ek" not in item["text"] and "Erik Vatne" not in item["text"] and "Ida Testdatter" in item["text"]
    family = render(root, tmp_path / "familie.md", "--for", "foresatte")
    ok("copy", C, "--til", "foresatte", "--dokument", "stafettlogg", "--fil", family, "--kanal", "post",
       "--for", "foresatte", "--by", "mona.birkeland", "-C", root)
    assert owed(root) == []

    # The next meeting's referat: everyone is owed the new stafettlogg again.
    path = case_path(root)
    text = path.read_text(encoding="utf-8")
    anchor = "    referent: mona.birkeland\nlogg:\n"
    assert anchor in text
    path.write_text(text.replace(anchor, "    referent: mona.birkeland\n" + SECOND_REFERAT + "logg:\n"), encoding="utf-8")
    monkeypatch.setenv("STAFETT_TODAY", "2026-12-16")
    [item] = owed(root)
    assert "mo-neste" in item["text"]
    for one in ("Ida Testdatter", "Jon Testdatter", "Anne Ek", "Erik Vatne"):
        assert one in item["text"]


# ---------- the renders list the copies sent ----------

def test_every_render_lists_the_copies_sent(root: Path, tmp_path: Path):
    staff = render(root, tmp_path / "tjenester.html")
    ok("copy", C, "--til", "anne.ek", "--dokument", "stafettlogg", "--fil", staff, "--kanal", "svarut",
       "--dato", "2026-11-21", "--by", "mona.birkeland", "-C", root)
    version = head(root)[:7]
    for layout in LAYOUTS:
        for fmt in ("md", "html"):
            for lang, heading, channel in (("nb", "Kopier sendt", "SvarUt"), ("nn", "Kopiar sende", "SvarUt")):
                doc = ok("render", C, "--layout", layout, "--format", fmt, "--lang", lang, "-C", root).out
                assert heading in doc and "Anne Ek" in doc and channel in doc and version in doc, (layout, fmt, lang)
                assert "21.11.2026" in doc
    before = ok("render", C, "--layout", "standard", "-C", root).out
    assert before.count(version) >= 1
