"""The log itself: contact, the child's conversations between meetings, lysglimt, notes and corrections.

"Loggføre kontakt som gjøres med barnet/ungdommen/foresatte/andre samarbeidspartnere" (Rutine
Stafettholder). "Sikrer at det snakkes med barnet/ungdommen/foresatte mellom møter og fanger opp hvordan
det går" (Rutine Stafettholder; Gloppen: "ein vaksen snakkar med barnet/ungdommen mellom møta"): such a
talk is a `samtale`, with the hovedperson unless --med says otherwise, and `status` reminds when none is
logged for `samtale_uker` weeks. Lysglimt are the small signs of progress (Conexus). With suspected
violence or abuse, the family is not contacted "before consulting barnevern or the police" (Vestre
Toten): a contact with the family is refused while the suspicion blocks it (workflow/suspicion.py).

An entry may say what it concerns (`gjelder`: ids of tiltak, meetings, consents, tasks...), so a render
links it to the item.
"""

from __future__ import annotations

from typing import Iterable

from stafett.errors import NotFound, UsageError
from stafett.i18n import N_, _
from stafett.model import Case
from stafett.workflow.common import (
    FORESATTE, HOVEDPERSON, Context, family_ids, people_word, log, require_family_contact_allowed, require_involved, require_open,
)

# soknad and klage: the koordinator "bistår med søknader og eventuelle klager" (Lyngdal); logged as help given.
KINDS = ("kontakt", "lysglimt", "notat", "retting", "soknad", "klage", "samtale")
KIND_SPELLINGS = {"søknad": "soknad"}  # the word as written (bokmål and nynorsk alike); the file keeps the ASCII code


def add_entry(case: Case, ctx: Context, *, kind: str, tekst: str, med: Iterable[str] = (), skjermet: bool = False,
              gjelder: Iterable[str] = ()) -> Case:
    require_open(case)
    require_involved(case, ctx, N_("write in the log"))
    typed = kind
    kind = kind.strip().lower()
    kind = KIND_SPELLINGS.get(kind, kind)
    if kind not in KINDS:
        raise UsageError(_("unknown log type '{kind}'").format(kind=typed),
                         _("use one of: {known}").format(known=", ".join(KINDS)))
    if not tekst.strip():
        raise UsageError(_("the log entry is empty"), _("write what happened"))
    who = _contacts(case, ctx, med)
    if kind == "samtale" and not who:
        who = [HOVEDPERSON]  # the routine's talk between meetings is with the child unless said otherwise
    if kind == "kontakt" and not who:
        raise UsageError(_("a contact needs who it was with"),
                         _("add --med hovedperson, --med foresatte, a foresatt, familie or ekstern id, a staff id or a service"))
    if kind in ("kontakt", "samtale") and family_ids(case) & set(who):
        require_family_contact_allowed(case, N_("contact with the family"))
    return log(case, ctx, kind, tekst.strip(), med=who, skjermet=skjermet, gjelder=concerns(case, gjelder))


def concerns(case: Case, ids: Iterable[str]) -> list[str]:
    """The ids an entry is about, each one an item of this case."""
    from stafett.rules_people import item_ids

    known = item_ids(case)
    out: list[str] = []
    for one in ids:
        if one not in known:
            raise NotFound(_("no item '{id}' in case {case} for --gjelder").format(id=one, case=case.id),
                           _("use the id of a tiltak, meeting, consent, goal, task or partner in the case "
                             "(t-..., mo-..., s-...)"))
        if one not in out:
            out.append(one)
    return out


def _contacts(case: Case, ctx: Context, med: Iterable[str]) -> list[str]:
    out: list[str] = []
    around = {f.id for f in (*case.foresatte, *case.familie, *case.eksterne)}
    for who in map(people_word, med):
        known = who in (HOVEDPERSON, FORESATTE) or who in around or ctx.people.get(who) is not None \
            or ctx.settings.service(who) is not None
        if not known:
            raise NotFound(_("unknown contact '{who}'").format(who=who),
                           _("use hovedperson, foresatte, a foresatt, familie or ekstern id, a staff id or a service id"))
        if who not in out:
            out.append(who)
    return out
