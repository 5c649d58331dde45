"""The store: lossless round trips, comment-keeping patches, atomic locked writes, refusal of bad files."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from stafett.errors import CaseFileError, DomainError, LockTimeout
from stafett.model.case import Logg, Stafettholder, Tiltak, Evaluering
from stafett.store import files
from stafett.store.cases import read_case, update_case
from tests.conftest import CASE, CASE_ID


@pytest.fixture
def path(folder: Path) -> Path:
    return folder / "saker" / f"{CASE_ID}.yaml"


def add_log(text: str, when=dt.datetime(2026, 11, 5, 9, 30)):
    def change(case):
        return case.model_copy(update={"logg": case.logg + [Logg(tid=when, av="kari.lund", type="notat", tekst=text)]})
    return change


def test_no_change_is_byte_identical(path):
    before = path.read_bytes()
    update_case(path, lambda c: c)
    update_case(path, lambda c: c.model_copy(update={"niva": c.niva}))
    assert path.read_bytes() == before


def test_append_keeps_every_comment_and_line(path):
    before = path.read_text(encoding="utf-8")
    update_case(path, add_log("Samtale med mor."))
    after = path.read_text(encoding="utf-8")
    new_lines = after.splitlines()
    # Every original line is still there, in order; the new entry sits after the last log item,
    # above the trailing comment that closes the log.
    old_lines = before.splitlines()
    it = iter(new_lines)
    assert all(line in it for line in old_lines)
    assert after.endswith("    tekst: Samtale med mor.\n# slutt på loggen\n")
    assert "niva: 1   # nivå 1 etter samtale med mor" in after


def test_scalar_change_keeps_its_end_of_line_comment(path):
    update_case(path, lambda c: c.model_copy(update={"niva": 2}))
    text = path.read_text(encoding="utf-8")
    assert "niva: 2   # nivå 1 etter samtale med mor" in text
    assert text.replace("niva: 2", "niva: 1") == CASE


def test_new_key_lands_in_model_order_without_moving_comments(path):
    from stafett.model.case import Overlevering, Vurdering

    offer = Overlevering(til="anne.ek", fra="kari.lund", tilbudt=dt.date(2026, 11, 20), grunn="Mer helse enn pedagogikk.",
                         vurdering=Vurdering(onske="Mor ønsker helsesykepleier.", tiltak="Få, men tette.",
                                             koordineringsbehov="Lite."))
    update_case(path, lambda c: c.model_copy(update={"overlevering": offer}))
    text = path.read_text(encoding="utf-8")
    assert text.index("overlevering:") > text.index("stafettholder:")
    assert text.index("overlevering:") < text.index("samtykker:")
    assert "# Undringen\nbekymring:" in text


def test_multiline_text_is_a_literal_block(path):
    update_case(path, add_log("Linje en.\nLinje to."))
    assert "    tekst: |-\n      Linje en.\n      Linje to.\n" in path.read_text(encoding="utf-8")
    assert read_case(path).model.logg[-1].tekst == "Linje en.\nLinje to."


def test_nested_append_inside_keyed_list(path):
    ev = Evaluering(dato=dt.date(2026, 11, 20), av="kari.lund", utfall="effekt men ikke i mål", vurdering="Bedre.")

    def change(case):
        t = case.tiltak[0]
        return case.model_copy(update={"tiltak": [t.model_copy(update={"evalueringer": [ev]})]})

    update_case(path, change)
    text = path.read_text(encoding="utf-8")
    assert "    evalueringer:\n      - dato: 2026-11-20\n" in text
    assert read_case(path).model.tiltak[0].evalueringer == [ev]


def test_flow_list_is_rewritten_only_where_it_changes(path):
    def change(case):
        s = case.samtykker[0]
        return case.model_copy(update={"samtykker": [s.model_copy(update={"omfang": s.omfang + ["helsestasjon"]})]})

    update_case(path, change)
    text = path.read_text(encoding="utf-8")
    assert "omfang: [stafettlogg, barnehage, ppt, helsestasjon]" in text or "- helsestasjon" in text
    assert read_case(path).model.samtykker[0].omfang[-1] == "helsestasjon"


def test_crlf_file_keeps_crlf(path):
    path.write_bytes(CASE.replace("\n", "\r\n").encode())
    update_case(path, add_log("CRLF bevart."))
    raw = path.read_bytes()
    assert b"\r\n" in raw and raw.count(b"\n") == raw.count(b"\r\n")
    assert raw.startswith(CASE.replace("\n", "\r\n").encode().split(b"# slutt")[0])


def test_bom_is_kept(path):
    path.write_bytes(b"\xef\xbb\xbf" + CASE.encode())
    update_case(path, add_log("BOM bevart."))
    assert path.read_bytes().startswith(b"\xef\xbb\xbf# yaml-language-server")


def test_change_that_raises_writes_nothing(path):
    before = path.read_bytes()

    def change(case):
        raise DomainError("not allowed", "do something else")

    with pytest.raises(DomainError):
        update_case(path, change)
    assert path.read_bytes() == before


def test_check_that_fails_writes_nothing(path):
    before = path.read_bytes()

    def check(case):
        raise DomainError("rule broken", None)

    with pytest.raises(DomainError):
        update_case(path, add_log("x"), check=check)
    assert path.read_bytes() == before
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("content", [
    b"id: [1\n", b"a: 1\na: 2\n", b"- 1\n", b"\xff\xfe", b"x\x00", b"a: !!python/name:os.system\n",
    b"a: &x 1\nb: *x\n", b"a: " + b"[" * 50 + b"]" * 50,
])
def test_unreadable_file_is_refused_and_left_identical(path, content):
    path.write_bytes(content)
    with pytest.raises(CaseFileError) as e:
        update_case(path, add_log("x"))
    assert e.value.line >= 1 and e.value.code.startswith("Y")
    assert path.read_bytes() == content


def test_invalid_record_is_refused_and_left_identical(path):
    broken = CASE.replace("stafettholder:", "stafetholder:").encode()
    path.write_bytes(broken)
    with pytest.raises(CaseFileError, match="stafett validate"):
        update_case(path, add_log("x"))
    assert path.read_bytes() == broken


def test_lock_timeout_is_a_clear_error(path):
    before = path.read_bytes()
    with files.locked(path):
        with pytest.raises(LockTimeout, match="another stafett process"):
            update_case(path, add_log("x"), timeout=0.2)
    assert path.read_bytes() == before


def test_outside_edit_during_a_change_is_not_overwritten(path):
    def change(case):
        path.write_bytes(path.read_bytes() + b"# redigert i editor\n")
        return add_log("x")(case)

    with pytest.raises(Exception, match="changed on disk"):
        update_case(path, change)
    assert path.read_bytes().endswith(b"# redigert i editor\n")


def test_atomic_write_keeps_mode_and_leaves_no_temp(path):
    os.chmod(path, 0o640)
    update_case(path, add_log("x"))
    assert (path.stat().st_mode & 0o777) == 0o640
    assert sorted(p.name for p in path.parent.iterdir()) == [f".{CASE_ID}.yaml.lock", f"{CASE_ID}.yaml"]


def test_many_changes_in_a_row_stay_valid_and_lossless(path):
    for n in range(15):
        update_case(path, add_log(f"Notat {n}", dt.datetime(2026, 11, 5, 9, n)))
    update_case(path, lambda c: c.model_copy(update={"stafettholder": Stafettholder(
        person="anne.ek", fra=dt.date(2026, 11, 21), oppnevnt_av="per.berg")}))
    update_case(path, lambda c: c.model_copy(update={"tiltak": c.tiltak + [Tiltak(
        id="t-2", beskrivelse="Samtale", ansvarlig="anne.ek", start=dt.date(2026, 11, 21), evalueres=dt.date(2027, 1, 10))]}))
    case = read_case(path).model
    assert len(case.logg) == 17 and case.stafettholder.person == "anne.ek" and len(case.tiltak) == 2
    text = path.read_text(encoding="utf-8")
    for comment in ("# yaml-language-server", "# nivå 1 etter samtale med mor", "# Undringen", "# slutt på loggen"):
        assert comment in text
