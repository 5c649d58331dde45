"""Names where the routine has them: a message names a staff member, a foresatt and a service the way a
coordinator knows them, never by the id in the file (issue 12). Ids stay where the user must type them.

Printed messages read in the user's language (`_`); log text goes through `ctx.tr` in the case's målform,
so each word below has a `tr` parameter: pass `ctx.tr` for the record.
"""

from __future__ import annotations

from typing import Callable, Iterable, Optional

from stafett.i18n import N_, _
from stafett.model import Case
from stafett.workflow.common import HOVEDPERSON, Context, staff_name

Tr = Callable[[str], str]

# Enum values as words (the codes stay in the file): the tiltak's evaluation outcome, the IP's status,
# the kind of log entry.
OUTCOME_WORDS = {
    "avslutte tiltaket": N_("end the tiltak"),
    "effekt men ikke i mål": N_("some effect, but the goal is not reached"),
    "andre tiltak": N_("other tiltak"),
    "behov for andre tjenester": N_("other services are needed"),
}
REASON_WORDS = {
    "trygt og godt": N_("safe and well"),
    "koordinator overtar": N_("the koordinator takes over"),
    "samtykke trukket": N_("consent withdrawn"),
    "flyttet": N_("moved away"),
    "annet": N_("other reason"),
}
IP_WORDS = {
    "tilbudt": N_("offered"),
    "onsket": N_("wanted by the family"),
    "avslatt": N_("declined by the family"),
    "aktiv": N_("in use"),
}
LOG_KIND_WORDS = {
    "kontakt": N_("contact"),
    "samtale": N_("talk with the child"),
    "lysglimt": N_("lysglimt"),
    "notat": N_("note"),
    "retting": N_("correction"),
    "soknad": N_("application"),
    "klage": N_("complaint"),
}


def staff(ctx: Context, person_id: Optional[str]) -> str:
    """A staff member by name (the id only when personer.yaml does not know it)."""
    return ctx.name(person_id)


def person(case: Case, ctx: Context, person_id: str, tr: Tr = _) -> str:
    return listed(case, ctx.people, person_id, tr)


def listed(case: Case, staff_list, person_id: str, tr: Tr = _) -> str:
    """Anyone a case lists: staff by name, a foresatt or family member as 'name (relation)', an external
    partner with their organisation, the hovedperson by role (never by name). `staff_list` is personer.yaml
    (None where it is not at hand: staff then by id)."""
    if person_id == HOVEDPERSON:
        return tr(N_("the hovedperson"))
    relative = next((f for f in (*case.foresatte, *case.familie) if f.id == person_id), None)
    if relative is not None:
        return f"{relative.navn} ({relative.relasjon})"
    partner = next((e for e in case.eksterne if e.id == person_id), None)
    if partner is not None:
        return f"{partner.navn} ({partner.virksomhet or partner.instans})"
    return staff_name(staff_list, person_id)


def people(case: Case, ctx: Context, ids: Iterable[str], tr: Tr = _) -> str:
    return ", ".join(person(case, ctx, i, tr) for i in ids)


def service(ctx: Context, service_id: Optional[str]) -> str:
    return service_name(ctx.settings, service_id)


def service_name(settings, service_id: Optional[str]) -> str:
    """A service by its name in stafett.yaml (the id when the kommune does not list it)."""
    found = settings.service(service_id) if service_id else None
    return found.navn if found else str(service_id)


def word(table: dict[str, str], code: str, tr: Tr = _) -> str:
    """An enum value as a word in the reader's language (or the case's, with tr=ctx.tr); unknown codes as they are."""
    return tr(table[code]) if code in table else code


def item(items, item_id: Optional[str], text_of) -> str:
    """An item of the case (a tiltak, a goal, an utviklingsområde) by its own words, «quoted and short»; the id
    only when the case does not hold it. The id itself stays in the entry's `gjelder`, where renders link it."""
    from stafett.workflow.common import short

    found = next((i for i in items if i.id == item_id), None)
    return f"«{short(text_of(found), 50)}»" if found is not None else str(item_id)


def tiltak(case: Case, tiltak_id: str) -> str:
    return item(case.tiltak, tiltak_id, lambda t: t.beskrivelse)


def goal(case: Case, goal_id: str) -> str:
    return item(case.mal, goal_id, lambda m: m.tekst)


def area(case: Case, area_id: str) -> str:
    return item(case.utviklingsomrader, area_id, lambda u: u.tekst)
