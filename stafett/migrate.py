"""Upgrading records from version 1 to version 2: pure functions over plain data, nothing lost.

A version 1 case keeps a suspicion of violence as a flag on the worry and at most one consultation whose
advice was never classified; a referat rests on one consent; referat tasks have no id to tick them off by.
Version 2 keeps the suspicion as its history, consultations as a list (the old one with `familiekontakt`
unset, so it still clears nothing), a list of consents per referat and an id on every task. Every other
field means the same in both versions and is left as it is.

The upgrade is deterministic (ids are derived from the case, not drawn at random), so `validate --since`
can replay it on the old side of a diff and see that the migration commit changed nothing but the form.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from typing import Any

from stafett.model.case import RECORD_VERSION

_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"

NOT_RECORDED = {"nb": "ikke registrert i versjon 1", "nn": "ikkje registrert i versjon 1"}
REPORTED_WITH_WORRY = {"nb": "Meldt sammen med bekymringen (versjon 1).", "nn": "Meldt saman med bekymringa (versjon 1)."}


def version_of(data: Any) -> int:
    return data.get("versjon", 1) if isinstance(data, dict) else 1


def needs_migration(data: Any) -> bool:
    return version_of(data) < RECORD_VERSION


def derived_id(prefix: str, *parts: str) -> str:
    """An id from what it names: the same case upgraded twice, or on two clones, gets the same ids."""
    digest = hashlib.sha256("\x00".join(parts).encode("utf-8")).digest()
    return f"{prefix}-" + "".join(_ALPHABET[b % len(_ALPHABET)] for b in digest[:6])


def with_version(data: dict) -> dict:
    """`versjon` first, the rest in the order it was written."""
    return {"versjon": RECORD_VERSION, **{k: v for k, v in data.items() if k != "versjon"}}


def migrate_settings(data: dict) -> dict:
    return with_version(data) if needs_migration(data) else data


def migrate_people(data: dict) -> dict:
    return with_version(data) if needs_migration(data) else data


def migrate_case(data: dict, malform: str = "nb") -> dict:
    """One case's data from version 1 to 2; a version 2 case comes back unchanged."""
    if not needs_migration(data):
        return data
    lang = malform if malform in NOT_RECORDED else "nb"
    out = copy.deepcopy(data)
    case_id = str(out.get("id", ""))
    _suspicion_as_history(out, lang)
    _consultation_as_list(out, case_id, lang)
    for meeting in out.get("moter") or []:
        _referat(meeting, case_id)
    return with_version(out)


def _suspicion_as_history(case: dict, lang: str) -> None:
    worry = case.get("bekymring")
    if not isinstance(worry, dict) or "mistanke_om_vold" not in worry:
        return
    flagged = worry.pop("mistanke_om_vold")
    if not flagged:
        return
    # Raised at the start of the worry's day: the moment protection.events gave the old flag.
    step = {"tid": dt.datetime.combine(worry["dato"], dt.time.min), "handling": "reist", "av": worry["meldt_av"],
            "grunn": REPORTED_WITH_WORRY[lang]}
    # Appended, not put first: the patching writer then leaves the lines already there untouched
    # (protection.events orders the steps by time).
    case["voldsmistanke"] = [*(case.get("voldsmistanke") or []), step]


def _consultation_as_list(case: dict, case_id: str, lang: str) -> None:
    old = case.pop("konsultasjon", None)
    if not old:
        return
    entry = {
        "id": derived_id("k", case_id, "konsultasjon", str(old["dato"])),
        # The end of the consultation's day, as protection.events placed the old one.
        "tid": dt.datetime.combine(old["dato"], dt.time(23, 59, 59)),
        "dato": old["dato"],
        "med": old["med"],
        "konsultert": NOT_RECORDED[lang],
        "rad": old.get("rad") or NOT_RECORDED[lang],
        # familiekontakt stays unset: the old advice was never classified, so it clears nothing.
        "registrert_av": old["av"],
    }
    case["konsultasjoner"] = [*(case.get("konsultasjoner") or []), entry]


def _referat(meeting: dict, case_id: str) -> None:
    referat = meeting.get("referat")
    if not isinstance(referat, dict):
        return
    if "samtykke" in referat:
        # samtykker takes samtykke's place in the referat, so the file reads in the order it was written.
        single = referat["samtykke"]
        merged = [single, *[s for s in referat.get("samtykker") or [] if s != single]] if single else referat.get("samtykker")
        upgraded = {}
        for key, value in referat.items():
            if key == "samtykke":
                if merged:
                    upgraded["samtykker"] = merged
            elif key != "samtykker":
                upgraded[key] = value
        referat.clear()
        referat.update(upgraded)
    for n, task in enumerate(referat.get("oppgaver") or []):
        if isinstance(task, dict) and not task.get("id"):
            # After the task's own lines, so the patch adds one line and touches none of the coordinator's.
            task["id"] = derived_id("o", case_id, str(meeting.get("id")), str(n))
