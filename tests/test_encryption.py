"""Need to know, enforced: a kommune with encryption on, worked from three clones with three people's own keys.

Each person works in their own clone with their own identity (STAFETT_IDENTITY: an age identity file or an
SSH private key), pushes to a shared bare repository, and pulls the others' work. What one may read follows
the record: the family's consent for a service, the baton, the roles. Nothing here fakes a key or a reader.
"""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from commands_kit import PEOPLE, SETTINGS, case_file, case_id_from, git, ok, stafett, write_kommune

pyrage = pytest.importorskip("pyrage")

CHILD = "Vilja Testdatter"
MOTHER = "Randi Testdatter"
WORRY = "Vilja gråter ofte i garderoben og vil ikke gå hjem"
SECRET_AFTER = "Mor forteller om nytt bosted hos mormor på Nordsida"
SIRI_NOTE = "PPT observerte lesevansker i norsktimen"
FREE_TEXTS = [CHILD, MOTHER, WORRY, SECRET_AFTER, SIRI_NOTE, "Testdatter", "garderoben", "mormor"]


def _ssh_key(path: Path) -> str:
    """An ed25519 key pair in OpenSSH format, the kind coordinators already use for git; returns the public line."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH,
                                       serialization.NoEncryption()))
    path.chmod(0o600)
    return key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()


@pytest.fixture
def keys(tmp_path: Path) -> dict[str, Path]:
    """Identity files: age keys for most, an SSH key for Siri, and the archive's recovery key."""
    folder = tmp_path / "keys"
    folder.mkdir()
    out = {}
    for who in ("mona.birkeland", "hanne.rossland", "tor.moen", "arkiv"):
        ident = pyrage.x25519.Identity.generate()
        (folder / who).write_text(f"# public key: {ident.to_public()}\n{ident}\n")
        out[who] = folder / who
    out["siri.dahl"] = folder / "siri.dahl"
    (folder / "siri.dahl.pub").write_text(_ssh_key(out["siri.dahl"]) + "\n")
    return out


def _public(key: Path) -> str:
    text = key.read_text()
    if "OPENSSH" in text:
        return Path(str(key) + ".pub").read_text().strip()
    return re.search(r"public key: (age1\w+)", text).group(1)


def _people(keys: dict[str, Path]) -> str:
    people = PEOPLE
    for who in ("mona.birkeland", "hanne.rossland", "tor.moen"):
        people = people.replace(f"  - id: {who}\n", f"  - id: {who}\n    age_nokkel: {_public(keys[who])}\n")
    return people.replace("  - id: siri.dahl\n", f"  - id: siri.dahl\n    ssh_nokler: ['{_public(keys['siri.dahl'])}']\n")


def _settings(keys: dict[str, Path], on: bool = True) -> str:
    return SETTINGS + ("kryptering:\n  pa: {}\n  gjenoppretting:\n    - id: arkiv\n      mottaker: {}\n".format(
        "true" if on else "false", _public(keys["arkiv"])))


@pytest.fixture
def origin(tmp_path: Path, keys) -> Path:
    seed = write_kommune(tmp_path / "seed", _settings(keys), _people(keys))
    git(seed, "init", "-q", "-b", "main")
    git(seed, "add", "-A")
    git(seed, "commit", "-q", "-m", "Testvik case folder, encrypted")
    bare = tmp_path / "origin.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(seed), str(bare)], check=True)
    return bare


def _clone(origin: Path, where: Path, who: str) -> Path:
    subprocess.run(["git", "clone", "-q", str(origin), str(where)], check=True)
    git(where, "config", "user.email", f"{who}@testvik.example")
    git(where, "config", "user.name", who)
    return where


class Desk:
    """One person at their own machine: their clone, their key, their git identity."""

    def __init__(self, clone: Path, who: str, key: Path | None, monkeypatch) -> None:
        self.clone, self.who, self.key, self.mp = clone, who, key, monkeypatch

    def _as_me(self) -> None:
        self.mp.setenv("STAFETT_IDENTITY", str(self.key) if self.key else "")
        self.mp.setenv("GIT_AUTHOR_EMAIL", f"{self.who}@testvik.example")

    def run(self, *args: str):
        self._as_me()
        return stafett(*args, "-C", self.clone)

    def ok(self, *args: str):
        self._as_me()
        return ok(*args, "-C", self.clone)

    def push(self, message: str) -> None:
        git(self.clone, "add", "-A", who=self.who)
        git(self.clone, "commit", "-q", "-m", message, who=self.who)
        git(self.clone, "push", "-q", "origin", "HEAD:main", who=self.who)

    def pull(self) -> None:
        git(self.clone, "pull", "-q", "--no-rebase", "origin", "main", who=self.who)


def _grep_objects(repo: Path, needles: list[str]) -> list[str]:
    """Every needle found in any object of the repository, loose or packed, at any point in its history."""
    blob = subprocess.run(["git", "cat-file", "--batch-all-objects", "--batch"], cwd=repo, capture_output=True,
                          check=True).stdout
    return [n for n in needles if n.encode("utf-8") in blob]


def test_three_clones_consent_decides_who_reads_and_a_clone_without_keys_reveals_nothing(
        tmp_path: Path, keys, origin: Path, monkeypatch) -> None:
    monkeypatch.setenv("STAFETT_TODAY", "2026-11-02")
    mona = Desk(_clone(origin, tmp_path / "mona", "mona.birkeland"), "mona.birkeland", keys["mona.birkeland"], monkeypatch)
    hanne = Desk(_clone(origin, tmp_path / "hanne", "hanne.rossland"), "hanne.rossland", keys["hanne.rossland"], monkeypatch)
    siri = Desk(_clone(origin, tmp_path / "siri", "siri.dahl"), "siri.dahl", keys["siri.dahl"], monkeypatch)
    ci = Desk(_clone(origin, tmp_path / "ci", "ci"), "ci", None, monkeypatch)

    # Mona registers the worry; her leader Hanne may read it to clarify it, Siri (PPT) may not.
    case_id = case_id_from(mona.ok("open", "--navn", CHILD, "--beskrivelse", WORRY, "--fodselsdato", "2017-02-03",
                                   "--foresatt", f"mor={MOTHER},telefon=99999999"))
    mona.push("Bekymring")
    hanne.pull()
    hanne.ok("assign", case_id, "--stafettholder", "mona.birkeland", "--by", "hanne.rossland")
    hanne.push("Stafettholder")

    mona.pull()
    mor = re.search(r"- id: (f-\w+)", case_file(mona.clone, case_id).read_text()).group(1)
    mona.ok("consent", "add", case_id, "--gitt-av", mor, "--omfang", "stafettlogg", "--omfang", "skole", "--form", "skriftlig")
    consent = mona.ok("consent", "add", case_id, "--gitt-av", mor, "--omfang", "ppt", "--form", "skriftlig")
    consent_id = re.search(r"\b(s-[a-z0-9]{6})\b", consent.out).group(1)
    mona.ok("assign", case_id, "--deltaker", "siri.dahl", "--rolle", "PPT-rådgiver")
    mona.push("Samtykke og PPT")

    # Siri's SSH key now opens the case: she reads it and writes to it.
    siri.pull()
    assert CHILD in siri.ok("render", case_id).out
    siri.ok("log", case_id, SIRI_NOTE)
    siri.push("PPT-notat")

    # The leader decided; with a stafettholder appointed, Hanne is no longer among the readers.
    hanne.pull()
    refused = hanne.run("render", case_id)
    assert refused.code != 0 and len(refused.err_lines) == 1 and "Mona Birkeland" in refused.err, refused.err

    # The mother withdraws the consent for PPT: the next write seals the case to the readers left.
    mona.pull()
    mona.ok("consent", "withdraw", case_id, consent_id, "--trukket-av", mor)
    mona.ok("log", case_id, SECRET_AFTER)
    mona.push("Samtykke trukket")
    text = case_file(mona.clone, case_id).read_text()
    readers = re.findall(r"- person: ([a-z.]+)\n\s+mottaker", text)
    assert readers == ["mona.birkeland"], readers
    assert re.search(r"- person: siri\.dahl\n\s+fra: 2026-11-02\n\s+til: 2026-11-02", text), "the record says when Siri's access ended"

    siri.pull()
    before = case_file(siri.clone, case_id).read_bytes()
    for args in (("render", case_id), ("log", case_id, "en merknad til"), ("journal", case_id, "--tjeneste", "ppt")):
        result = siri.run(*args)
        assert result.code != 0 and len(result.err_lines) == 1, (args, result.err)
        assert "Mona Birkeland" in result.err and "Traceback" not in result.err
    assert case_file(siri.clone, case_id).read_bytes() == before
    status = siri.ok("status")
    assert SECRET_AFTER not in status.out and "Traceback" not in status.err
    # What she could read before she left stays readable to her in git's history: docs/access.md says so.
    from stafett.store.cases import clear_text

    monkeypatch.setenv("STAFETT_IDENTITY", str(keys["siri.dahl"]))
    old = subprocess.run(["git", "show", f"HEAD~1:saker/{case_id}.yaml"], cwd=siri.clone, capture_output=True).stdout
    now = subprocess.run(["git", "show", f"HEAD:saker/{case_id}.yaml"], cwd=siri.clone, capture_output=True).stdout
    assert SIRI_NOTE.encode() in clear_text(old, "old.yaml") and SECRET_AFTER.encode() not in clear_text(now, "now.yaml")
    # The recovery key reads everything, now too.
    monkeypatch.setenv("STAFETT_IDENTITY", str(keys["arkiv"]))
    assert SECRET_AFTER.encode() in clear_text(now, "now.yaml")

    # CI has no key: it validates the whole folder green from the clear part.
    ci.pull()
    monkeypatch.setenv("STAFETT_IDENTITY", "")
    checked = stafett("validate", ci.clone, "-j", "1")
    assert checked.code == 0 and " feil" not in checked.out and "error" not in checked.out.lower(), checked.out

    # A clone without a key reveals no name and no free text, anywhere in its history.
    assert _grep_objects(origin, FREE_TEXTS) == []
    assert _grep_objects(ci.clone, FREE_TEXTS) == []


@pytest.fixture
def one_case(tmp_path: Path, keys, monkeypatch):
    root = write_kommune(tmp_path / "k", _settings(keys), _people(keys))
    git(root, "init", "-q")
    git(root, "config", "user.email", "mona.birkeland@testvik.example")
    monkeypatch.setenv("STAFETT_IDENTITY", str(keys["mona.birkeland"]))
    monkeypatch.setenv("STAFETT_TODAY", "2026-11-02")
    case_id = case_id_from(ok("open", "--navn", CHILD, "--beskrivelse", WORRY, "--fodselsdato", "2017-02-03",
                              "--foresatt", f"mor={MOTHER}", "-C", root))
    ok("log", case_id, SECRET_AFTER, "-C", root)
    return root, case_id


def _tokens(text: str) -> list[str]:
    return re.findall(r"ENC\[AES256_GCM,[^\]]+\]", text)


@pytest.mark.parametrize("tamper, code", [
    ("swap", "Q002"),       # two values swapped between fields
    ("remove", "Q003"),     # a sealed value removed
    ("reader", "Q003"),     # the recipient list edited: a reader added by hand
])
def test_a_tampered_file_is_refused_with_a_finding(one_case, tamper: str, code: str) -> None:
    root, case_id = one_case
    path = case_file(root, case_id)
    text = path.read_text()
    name_token = re.search(r"navn: (ENC\[[^\]]+\])", text).group(1)
    worry_token = re.search(r"beskrivelse: (ENC\[[^\]]+\])", text).group(1)
    if tamper == "swap":
        text = text.replace(name_token, "@@").replace(worry_token, name_token).replace("@@", worry_token)
    elif tamper == "remove":
        text = re.sub(r"\n  - tid: [^\n]+\n    av: [^\n]+\n    type: notat\n    tekst: ENC\[[^\]]+\]", "", text)
    else:
        entry = re.search(r"(    - person: mona\.birkeland\n      mottaker: \S+\n      nokkel: \|\n(?:        [^\n]+\n)+)", text).group(1)
        text = text.replace(entry, entry + entry.replace("mona.birkeland", "tor.moen"))
    path.write_text(text)
    before = path.read_bytes()
    result = stafett("log", case_id, "en til", "-C", root)
    assert result.code != 0 and code in result.err and len(result.err_lines) == 1, result.err
    assert path.read_bytes() == before


def test_the_age_tool_opens_what_stafett_wrapped_with_an_age_key_and_with_an_ssh_key(one_case, keys, monkeypatch) -> None:
    if shutil.which("age") is None:
        pytest.skip("the age command-line tool is not installed (Debian package age)")
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    root, case_id = one_case
    # Siri joins (her SSH key), so the file holds a key wrapped to an SSH recipient too.
    ok("consent", "add", case_id, "--gitt-av", re.search(r"- id: (f-\w+)", case_file(root, case_id).read_text()).group(1),
       "--omfang", "stafettlogg", "--omfang", "ppt", "--form", "skriftlig", "-C", root)
    ok("assign", case_id, "--deltaker", "siri.dahl", "--rolle", "PPT-rådgiver", "-C", root)
    text = case_file(root, case_id).read_text()
    token = re.search(r"navn: ENC\[AES256_GCM,data:([^,]*),iv:([^,]+),tag:([^,]+),type:str\]", text).groups()
    readers = {e.get("person"): e["nokkel"] for e in yaml.safe_load(text)["kryptering"]["lesere"]}
    for who in ("mona.birkeland", "siri.dahl"):
        done = subprocess.run(["age", "--decrypt", "-i", str(keys[who])], input=readers[who].encode(), capture_output=True)
        assert done.returncode == 0, done.stderr
        data, iv, tag = (base64.b64decode(g) for g in token)
        assert AESGCM(done.stdout).decrypt(iv, data + tag, b"hovedperson.navn").decode() == CHILD


def test_git_diff_shows_clear_text_to_a_reader_and_ciphertext_to_others(one_case, keys, monkeypatch) -> None:
    root, case_id = one_case
    ok("git-setup", "-C", root)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "one")
    ok("log", case_id, SIRI_NOTE, "-C", root)
    diff = subprocess.run(["git", "diff"], cwd=root, capture_output=True, text=True).stdout
    added = [line for line in diff.splitlines() if line.startswith("+ ")]
    assert f"+    tekst: {SIRI_NOTE}" in diff and not [line for line in added if "tekst: ENC[" in line], diff
    monkeypatch.setenv("STAFETT_IDENTITY", "")
    keyless = subprocess.run(["git", "diff"], cwd=root, capture_output=True, text=True,
                             env={**__import__("os").environ, "STAFETT_IDENTITY": ""}).stdout
    assert SIRI_NOTE not in keyless and "ENC[AES256_GCM" in keyless


def test_the_merge_driver_merges_sealed_cases_for_a_reader_and_never_blindly(tmp_path: Path, keys, origin, monkeypatch) -> None:
    monkeypatch.setenv("STAFETT_TODAY", "2026-11-02")
    a = Desk(_clone(origin, tmp_path / "a", "mona.birkeland"), "mona.birkeland", keys["mona.birkeland"], monkeypatch)
    case_id = case_id_from(a.ok("open", "--navn", CHILD, "--beskrivelse", WORRY, "--fodselsdato", "2017-02-03"))
    a.push("open")
    b = Desk(_clone(origin, tmp_path / "b", "mona.birkeland"), "mona.birkeland", keys["mona.birkeland"], monkeypatch)
    for desk in (a, b):
        desk.ok("git-setup")
    a.ok("log", case_id, "Skrevet på kontoret")
    a.push("a")
    b.ok("log", case_id, "Skrevet hjemme")
    git(b.clone, "add", "-A")
    git(b.clone, "commit", "-q", "-m", "b")
    # Without a key, the driver refuses: conflict markers, never a blind merge of ciphertext.
    keyless = subprocess.run(["git", "pull", "-q", "--no-rebase", "origin", "main"], cwd=b.clone, capture_output=True,
                             text=True, env={**__import__("os").environ, "STAFETT_IDENTITY": ""})
    assert keyless.returncode != 0 and "<<<<<<<" in case_file(b.clone, case_id).read_text()
    git(b.clone, "merge", "--abort")
    b._as_me()
    done = subprocess.run(["git", "pull", "-q", "--no-rebase", "origin", "main"], cwd=b.clone, capture_output=True, text=True,
                          env={**__import__("os").environ, "STAFETT_IDENTITY": str(keys["mona.birkeland"])})
    assert done.returncode == 0, done.stderr
    from stafett.store.cases import read_case

    texts = [e.tekst for e in read_case(case_file(b.clone, case_id)).model.logg]
    assert "Skrevet på kontoret" in texts and "Skrevet hjemme" in texts
    assert "Skrevet hjemme" not in case_file(b.clone, case_id).read_text()


def test_encrypt_converts_a_clear_folder_in_one_commit(tmp_path: Path, keys, monkeypatch) -> None:
    root = write_kommune(tmp_path / "k", _settings(keys, on=False), _people(keys))
    git(root, "init", "-q")
    git(root, "config", "user.email", "mona.birkeland@testvik.example")
    monkeypatch.setenv("STAFETT_IDENTITY", str(keys["mona.birkeland"]))
    monkeypatch.setenv("STAFETT_TODAY", "2026-11-02")
    case_id = case_id_from(ok("open", "--navn", CHILD, "--beskrivelse", WORRY, "--fodselsdato", "2017-02-03", "-C", root))
    assert CHILD in case_file(root, case_id).read_text()  # encryption off: clear
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "clear")
    dry = ok("encrypt", "-C", root)
    assert "--write" in dry.out and CHILD in case_file(root, case_id).read_text()
    ok("encrypt", "--write", "-C", root)
    assert git(root, "status", "--porcelain") == ""
    assert git(root, "log", "--format=%s", "-1").startswith("stafett encrypt")
    text = case_file(root, case_id).read_text()
    assert CHILD not in text and WORRY not in text and "kryptering:" in text
    assert "pa: true" in (root / "stafett.yaml").read_text()
    assert CHILD in ok("render", case_id, "-C", root).out
    monkeypatch.setenv("STAFETT_IDENTITY", "")
    assert ok("validate", root).code == 0
    # The append-only proof holds across the encryption commit, without a key: nothing was rewritten.
    proof = stafett("validate", root, "--since", "HEAD~1")
    assert proof.code == 0 and "P00" not in proof.out, proof.out
    monkeypatch.setenv("STAFETT_IDENTITY", str(keys["mona.birkeland"]))
    assert "nothing to do" in ok("encrypt", "-C", root).out or "ingenting" in ok("encrypt", "-C", root).out


def test_validate_finds_a_name_written_in_clear_in_an_encrypted_case(one_case, monkeypatch) -> None:
    root, case_id = one_case
    path = case_file(root, case_id)
    path.write_text(re.sub(r"(hovedperson:\n  navn: )ENC\[[^\]]+\]", r"\1Vilja i klartekst", path.read_text()))
    monkeypatch.setenv("STAFETT_IDENTITY", "")
    result = stafett("validate", root, "--no-excerpt")  # as CI shows it
    assert result.code != 0 and "Q001" in result.out and "hovedperson.navn" in result.out
    assert "Vilja i klartekst" not in result.out  # the finding names the field, never its value


def test_init_kryptert_needs_a_recovery_key_and_writes_the_setting(tmp_path: Path, keys) -> None:
    refused = stafett("init", str(tmp_path / "a"), "--kommune", "Testvik", "--kryptert")
    assert refused.code != 0 and "--gjenoppretting" in refused.err and not (tmp_path / "a").exists()
    ok("init", str(tmp_path / "b"), "--kommune", "Testvik", "--kryptert", "--gjenoppretting", _public(keys["arkiv"]))
    settings = (tmp_path / "b" / "stafett.yaml").read_text()
    assert "kryptering:\n  pa: true" in settings and _public(keys["arkiv"]) in settings
    assert ok("validate", tmp_path / "b").code == 0


def test_an_encrypted_case_takes_the_fast_reader_and_both_readers_agree(one_case) -> None:
    """Encryption must not send every case to the slow reader (bench/bench_crypt.py measures the cost)."""
    from stafett.store import yamlio

    root, case_id = one_case
    text = case_file(root, case_id).read_text()
    fast = yamlio.read_fast(text, "case.yaml")
    assert fast is not None and fast == yamlio.load_strict(text, "case.yaml")
    # Tokens whose base64 starts with a digit or a sign, after `data:`, were once refused by the screen.
    odd = text.replace("data:", "data:+9", 1)
    assert yamlio.read_fast(odd, "case.yaml") == yamlio.load_strict(odd, "case.yaml")


def test_an_anonymised_export_needs_no_key_and_a_full_one_does(one_case, monkeypatch) -> None:
    root, case_id = one_case
    monkeypatch.setenv("STAFETT_IDENTITY", "")
    stats = ok("export", "--anonymize", "-C", root)
    assert CHILD not in stats.out and "[kryptert]" not in stats.out and '"type": "notat"' in stats.out
    full = stafett("export", "-C", root)
    assert full.code != 0 and len(full.err_lines) == 1 and "Mona Birkeland" in full.err


def test_nobody_holds_a_case_they_could_not_read(one_case, monkeypatch) -> None:
    """Erik has no key in personer.yaml: a case he opens would be sealed past its own eier, so it is refused."""
    root, case_id = one_case
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "erik.vatne@testvik.example")
    opened = stafett("open", "--navn", "Ola Testsen", "--beskrivelse", "Uro", "--fodselsdato", "2017-01-01",
                     "--by", "erik.vatne", "-C", root)
    assert opened.code != 0 and len(opened.err_lines) == 1, opened.err
    assert "Erik Vatne" in opened.err and "age_nokkel" in opened.err, opened.err
    assert sorted(p.name for p in (root / "saker").glob("*.yaml")) == [f"{case_id}.yaml"]


def test_a_reader_works_the_documents_of_an_encrypted_case_as_of_a_clear_one(one_case, tmp_path: Path) -> None:
    """render (staff and family copy, md and html), journal, copy and status decrypt for a reader."""
    root, case_id = one_case
    mor = re.search(r"- id: (f-\w+)", case_file(root, case_id).read_text()).group(1)
    ok("assign", case_id, "--stafettholder", "mona.birkeland", "--by", "hanne.rossland", "--on-behalf", "-C", root)
    ok("consent", "add", case_id, "--gitt-av", mor, "--omfang", "stafettlogg", "--omfang", "skole", "--form", "skriftlig",
       "-C", root)
    staff = tmp_path / "logg.html"
    ok("render", case_id, "--format", "html", "-o", staff, "-C", root)
    family = tmp_path / "familie.md"
    ok("render", case_id, "--for", "foresatte", "-o", family, "-C", root)
    assert CHILD in staff.read_text() and CHILD in family.read_text()
    note = ok("journal", case_id, "--tjeneste", "skole", "-C", root).out
    assert SECRET_AFTER in note or CHILD in note
    ok("copy", case_id, "--til", "foresatte", "--dokument", "stafettlogg", "--fil", family, "--kanal", "post",
       "--for", "foresatte", "-C", root)
    text = case_file(root, case_id).read_text()
    assert CHILD not in text and "kopier:" in text and "ENC[" in text
    assert "Traceback" not in ok("status", "-C", root).err


@pytest.mark.parametrize("broken", ["  tilgang:\n    - bare tekst\n", "  lesere:\n    - bare tekst\n"])
def test_a_hostile_envelope_is_a_finding_not_a_crash(one_case, broken: str, monkeypatch) -> None:
    root, case_id = one_case
    path = case_file(root, case_id)
    text = path.read_text()
    key = broken.split(":")[0].strip()
    text = re.sub(rf"  {key}:\n(?:    [^\n]*\n)+", broken, text, count=1)
    path.write_text(text)
    before = path.read_bytes()
    for args in (("log", case_id, "en til", "-C", root), ("render", case_id, "-C", root)):
        result = stafett(*args)
        assert result.code != 0 and "Q004" in result.err and len(result.err_lines) == 1, result.err
        assert "Traceback" not in result.err
    assert path.read_bytes() == before
    monkeypatch.setenv("STAFETT_IDENTITY", "")
    checked = stafett("validate", root, "--no-excerpt")
    assert checked.code != 0 and "Q004" in checked.out, checked.out
