"""Version 2 status items: consent. Each check takes (case, settings, today) and returns Todos.

From the age of consent the young person consents for themself: what foresatte consented to before the
birthday is asked again, of the young person (innstillinger.samtykkealder).
"""

from __future__ import annotations

import datetime as dt
from stafett.i18n import _, date_text
from stafett.model import Case, Settings
from stafett.model.case import Samtykke
from stafett.workflow.status import Todo

HOVEDPERSON = "hovedperson"


def _birthday(born: dt.date, age: int) -> dt.date:
    try:
        return born.replace(year=born.year + age)
    except ValueError:  # born 29 February
        return dt.date(born.year + age, 3, 1)


def _holders(case: Case) -> tuple[str, ...]:
    people = [case.baton_holder(), *([case.koordinator.person] if case.koordinator else [])]
    return tuple(dict.fromkeys(people))


def _given_by_foresatte(case: Case, before: dt.date, today: dt.date) -> list[Samtykke]:
    return [s for s in case.samtykker if s.gitt_av != HOVEDPERSON and s.dato < before and s.active_on(today)]


def _renewed_scopes(case: Case, since: dt.date, today: dt.date) -> set[str]:
    """What the young person has consented to themself from the birthday on (given, or signed beside)."""
    out: set[str] = set()
    for s in case.samtykker:
        if not s.active_on(today):
            continue
        own = s.gitt_av == HOVEDPERSON and s.dato >= since
        if own or any(g.av == HOVEDPERSON and g.dato >= since for g in s.medsignaturer):
            out |= set(s.omfang)
    return out


def consent_again(case: Case, settings: Settings, today: dt.date, people=None) -> list[Todo]:
    """The young person reaches the age of consent: consents from foresatte are given again, by them."""
    person = case.hovedperson
    if person.kategori not in ("barn", "ungdom") or person.fodselsdato is None:
        return []
    limit = settings.innstillinger.samtykkealder
    birthday = _birthday(person.fodselsdato, limit)
    days = (birthday - today).days
    if days > settings.innstillinger.varsel_samtykke_dager:
        return []
    renewed = _renewed_scopes(case, birthday, today)
    due = [s for s in _given_by_foresatte(case, birthday, today) if not set(s.omfang) <= renewed]
    if not due:
        return []
    ids = ", ".join(s.id for s in due)
    if days <= 0:
        text = _("turned {age} on {date}, the age of consent: the young person must consent again to what "
                 "foresatte consented to ({consents}): stafett consent add {case} --gitt-av hovedperson ...")
    else:
        text = _("turns {age} on {date}, the age of consent: then the young person must consent again to what "
                 "foresatte consented to ({consents})")
    text = text.format(age=limit, date=date_text(birthday), consents=ids, case=case.id)
    return [Todo(case.id, "samtykke-fornyes", text, birthday, _holders(case), overdue=days <= 0)]


CHECKS: list = [consent_again]
