"""Tiltak and their evaluation.

"Hvert tiltak har en ansvarlig person og en frist for evaluering" (Nordstrand); tiltak serve the
hovedperson's goals or an utviklingsområde (Sogndal); the stafettholder "følger med på tidsfrister og at
tiltak evalueres". Evaluation outcomes follow Eigersund: avslutte tiltaket / effekt men ikke i mål /
andre tiltak / behov for andre tjenester, with the child's experience of change (Overhalla).
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable, Optional

from stafett.errors import DomainError, NotFound, UsageError
from stafett.i18n import N_, _, current, date_text
from stafett.model import Case
from stafett.model.case import Evaluering, Mal, Mote, Tiltak, Utsettelse, Utviklingsomrade
from stafett.workflow import names
from stafett.workflow.common import (
    Context, day, find_item, fresh_id, log, new, not_future, replaced, require_involved, require_open,
    period, require_staff_consent, short,
)

OUTCOMES = ("avslutte tiltaket", "effekt men ikke i mål", "andre tiltak", "behov for andre tjenester")
# The same outcomes in nynorsk words: a coordinator may type either, the file keeps the code (the bokmål words).
OUTCOMES_NN = {"avslutte tiltaket": "avslutte tiltaket", "effekt men ikke i mål": "effekt men ikkje i mål",
               "andre tiltak": "andre tiltak", "behov for andre tjenester": "behov for andre tenester"}
# Short forms for the command line (ASCII, no spaces).
OUTCOME_ALIASES = {"avslutte": "avslutte tiltaket", "effekt": "effekt men ikke i mål",
                   "andre-tiltak": "andre tiltak", "andre-tjenester": "behov for andre tjenester"}
OUTCOME_ALIASES_NN = {"andre-tenester": "behov for andre tjenester"}


def outcome(value: str) -> str:
    """The outcome's code from what a coordinator typed: bokmål or nynorsk words, or a short form."""
    key = " ".join(value.strip().lower().split())
    nn_words = {word: code for code, word in OUTCOMES_NN.items()}
    found = OUTCOME_ALIASES.get(key) or OUTCOME_ALIASES_NN.get(key) or nn_words.get(key) or key
    if found not in OUTCOMES:
        nynorsk = current() == "nn"
        words = [outcome_word(code) for code in OUTCOMES]
        aliases = [*OUTCOME_ALIASES] if not nynorsk else [a.replace("andre-tjenester", "andre-tenester") for a in OUTCOME_ALIASES]
        raise UsageError(_("unknown outcome '{value}'").format(value=value),
                         _("use one of: {outcomes} (or {aliases})").format(outcomes=", ".join(words),
                                                                            aliases=", ".join(aliases)))
    return found


def outcome_word(code: str) -> str:
    """An outcome as the reader writes it: the nynorsk words for a nynorsk reader, else the code."""
    return OUTCOMES_NN.get(code, code) if current() == "nn" else code


def add_tiltak(case: Case, ctx: Context, *, beskrivelse: str, ansvarlig: str, evalueres: dt.date, start: dt.date,
               mal: Iterable[str] = (), nye_mal: Iterable[str] = (), utviklingsomrade: Optional[str] = None,
               nytt_utviklingsomrade: Optional[str] = None) -> Case:
    require_open(case)
    require_involved(case, ctx, N_("add a tiltak"))
    if case.niva == 0:
        raise DomainError(_("tiltak start on nivå 1, when a stafettholder follows them up; the case is on nivå 0"),
                          _("the leader appoints a stafettholder first: stafett assign {case} --stafettholder ID").format(
                              case=case.id))
    if not beskrivelse.strip():
        raise UsageError(_("a tiltak needs a description"), _("say what will be done: --beskrivelse TEXT"))
    ctx.person(ansvarlig, N_("responsible person"))
    require_staff_consent(case, ctx, ansvarlig, start, _("making {person} responsible for a tiltak").format(person=ansvarlig))
    if evalueres < start:
        raise DomainError(_("the evaluation date {date} is before the start {start}").format(
                              date=date_text(evalueres), start=date_text(start)), _("check --evalueres"))
    case, goal_ids, area_id, added = _goals(case, ctx, mal, nye_mal, utviklingsomrade, nytt_utviklingsomrade)
    if not goal_ids and not area_id:
        raise UsageError(_("a tiltak serves a goal or an utviklingsområde"),
                         _("name one: --mal ID, --nytt-mal TEXT, --utviklingsomrade ID or --nytt-utviklingsomrade TEXT"))
    tiltak_id = fresh_id(case, "t")
    measure = new(Tiltak, id=tiltak_id, beskrivelse=beskrivelse, mal=goal_ids, utviklingsomrade=area_id,
                  ansvarlig=ansvarlig, start=start, evalueres=evalueres, status="aktiv")
    tekst = ctx.tr("New tiltak {tiltak}: {description} Responsible: {person}. Start {start}, evaluation {evaluation}.").format(
        tiltak=tiltak_id, description=period(short(beskrivelse)), person=ctx.name(ansvarlig), start=day(start, ctx),
        evaluation=day(evalueres, ctx))
    tekst += _served(case, goal_ids, area_id, added, ctx)
    return log(case.model_copy(update={"tiltak": [*case.tiltak, measure]}), ctx, "tiltak", tekst)


def adjust_tiltak(case: Case, ctx: Context, tiltak_id: str, *, beskrivelse: Optional[str] = None,
                  ansvarlig: Optional[str] = None, evalueres: Optional[dt.date] = None, mal: Iterable[str] = (),
                  nye_mal: Iterable[str] = (), utviklingsomrade: Optional[str] = None,
                  nytt_utviklingsomrade: Optional[str] = None) -> Case:
    require_open(case)
    require_involved(case, ctx, N_("adjust a tiltak"))
    index, measure = find_item(case.tiltak, tiltak_id, N_("tiltak"), case)
    if measure.status != "aktiv":
        raise DomainError(_("tiltak {tiltak} has ended").format(tiltak=tiltak_id),
                          _("add a new one: stafett tiltak add {case} ...").format(case=case.id))
    update: dict = {}
    changes: list[str] = []
    if beskrivelse is not None and beskrivelse != measure.beskrivelse:
        if not beskrivelse.strip():
            raise UsageError(_("a tiltak needs a description"), _("give a non-empty --beskrivelse"))
        update["beskrivelse"] = beskrivelse
        changes.append(ctx.tr("new description: {description}").format(description=short(beskrivelse)))
    if ansvarlig is not None and ansvarlig != measure.ansvarlig:
        ctx.person(ansvarlig, N_("responsible person"))
        require_staff_consent(case, ctx, ansvarlig, ctx.today, _("making {person} responsible for a tiltak").format(person=ansvarlig))
        update["ansvarlig"] = ansvarlig
        changes.append(ctx.tr("responsible {old} → {new}").format(old=ctx.name(measure.ansvarlig), new=ctx.name(ansvarlig)))
    if evalueres is not None and evalueres != measure.evalueres:
        if evalueres < measure.start:
            raise DomainError(_("the evaluation date {date} is before the start {start}").format(
                                  date=date_text(evalueres), start=date_text(measure.start)), _("check --evalueres"))
        update["evalueres"] = evalueres
        was = day(measure.evalueres, ctx) if measure.evalueres else "-"
        changes.append(ctx.tr("evaluation {old} → {new}").format(old=was, new=day(evalueres, ctx)))
    case, goal_ids, area_id, added = _goals(case, ctx, mal, nye_mal, utviklingsomrade, nytt_utviklingsomrade)
    new_goals = [g for g in goal_ids if g not in measure.mal]
    if new_goals:
        update["mal"] = [*measure.mal, *new_goals]
        changes.append(ctx.tr("goals {goals} added").format(goals=", ".join(names.goal(case, g) for g in new_goals)))
    if area_id and area_id != measure.utviklingsomrade:
        update["utviklingsomrade"] = area_id
        changes.append(ctx.tr("utviklingsområde {area}").format(area=names.area(case, area_id)))
    if not changes:
        raise UsageError(_("nothing to change in tiltak {tiltak}").format(tiltak=tiltak_id),
                         _("give --beskrivelse, --ansvarlig, --evalueres, --mal or --utviklingsomrade with a new value"))
    tiltak = replaced(case.tiltak, index, measure.model_copy(update=update))
    tekst = ctx.tr("Tiltak {tiltak} adjusted: {changes}.").format(tiltak=names.tiltak(case, tiltak_id), changes="; ".join(changes))
    return log(case.model_copy(update={"tiltak": tiltak}), ctx, "tiltak", tekst + _served(case, [], None, added, ctx))


def end_tiltak(case: Case, ctx: Context, tiltak_id: str, *, dato: dt.date, grunn: Optional[str] = None) -> Case:
    require_open(case)
    require_involved(case, ctx, N_("end a tiltak"))
    index, measure = find_item(case.tiltak, tiltak_id, N_("tiltak"), case)
    if measure.status != "aktiv":
        raise DomainError(_("tiltak {tiltak} has ended already ({date})").format(
                              tiltak=tiltak_id, date=_date(measure.slutt)), _("nothing to end"))
    not_future(dato, ctx, N_("the end date"))
    if dato < measure.start:
        raise DomainError(_("the end date {date} is before the start {start}").format(
                              date=date_text(dato), start=date_text(measure.start)), _("check --dato"))
    ended = measure.model_copy(update={"status": "avsluttet", "slutt": dato})
    tekst = ctx.tr("Tiltak {tiltak} ended {date}.").format(tiltak=names.tiltak(case, tiltak_id), date=day(dato, ctx))
    if grunn:
        tekst += " " + ctx.tr("Reason: {reason}").format(reason=period(grunn))
    return log(case.model_copy(update={"tiltak": replaced(case.tiltak, index, ended)}), ctx, "tiltak", tekst)


def evaluate_tiltak(case: Case, ctx: Context, tiltak_id: str, *, utfall: str, vurdering: str,
                    dato: Optional[dt.date] = None, neste_evaluering: Optional[dt.date] = None,
                    barnets_syn: Optional[str] = None, familiens_syn: Optional[str] = None,
                    barnets_syn_mangler: Optional[str] = None, mote: Optional[str] = None) -> Case:
    """Without a date: the meeting's date with `mote`, else today."""
    require_open(case)
    require_involved(case, ctx, N_("evaluate a tiltak"))
    index, measure = find_item(case.tiltak, tiltak_id, N_("tiltak"), case)
    if measure.status != "aktiv":
        raise DomainError(_("tiltak {tiltak} has ended ({date})").format(tiltak=tiltak_id, date=_date(measure.slutt)),
                          _("only active tiltak are evaluated"))
    utfall = outcome(utfall)
    if not vurdering.strip():
        raise UsageError(_("an evaluation needs an assessment"), _("say what changed: --vurdering TEXT"))
    require_childs_view(barnets_syn, barnets_syn_mangler)
    meeting = evaluation_meeting(case, mote) if mote else None
    dato = dato or (meeting.tidspunkt.date() if meeting else ctx.today)
    if meeting is not None and meeting.tidspunkt.date() != dato:
        raise DomainError(_("meeting {meeting} was held on {held}, not on {date}").format(
                              meeting=mote, held=date_text(meeting.tidspunkt.date()), date=date_text(dato)),
                          _("leave out --dato (the meeting's date is used), or name the meeting held that day"))
    not_future(dato, ctx, N_("the evaluation date"))
    if dato < measure.start:
        raise DomainError(_("the evaluation ({date}) is before the tiltak started ({start})").format(
                              date=date_text(dato), start=date_text(measure.start)), _("check --dato"))
    update: dict
    if utfall == "avslutte tiltaket":
        if neste_evaluering is not None:
            raise UsageError(_("the tiltak ends with this evaluation, so it has no next evaluation"), _("leave out --neste"))
        update = {"status": "avsluttet", "slutt": dato}
    else:
        if neste_evaluering is None:
            raise UsageError(_("'{outcome}' keeps the tiltak going, so it needs the next evaluation date").format(
                                 outcome=outcome_word(utfall)), _("add --neste YYYY-MM-DD"))
        if neste_evaluering <= dato:
            raise DomainError(_("the next evaluation ({next}) is not after this one ({date})").format(
                                  next=date_text(neste_evaluering), date=date_text(dato)), _("check --neste"))
        update = {"evalueres": neste_evaluering}
    evaluation = new(Evaluering, dato=dato, av=ctx.actor, utfall=utfall, vurdering=vurdering, barnets_syn=barnets_syn,
                     barnets_syn_mangler=barnets_syn_mangler, familiens_syn=familiens_syn,
                     neste_evaluering=neste_evaluering, mote=mote)
    update["evalueringer"] = [*measure.evalueringer, evaluation]
    tiltak = replaced(case.tiltak, index, measure.model_copy(update=update))
    tekst = ctx.tr("Tiltak {tiltak} evaluated {date}: {outcome}.").format(
        tiltak=names.tiltak(case, tiltak_id), date=day(dato, ctx), outcome=names.word(names.OUTCOME_WORDS, utfall, ctx.tr))
    if meeting is not None:
        tekst += " " + ctx.tr("Evaluated in meeting {meeting}.").format(meeting=mote)
    if utfall == "avslutte tiltaket":
        tekst += " " + ctx.tr("The tiltak is ended.")
    else:
        tekst += " " + ctx.tr("Next evaluation {date}.").format(date=day(neste_evaluering, ctx))
    tekst += views_missing(ctx, barnets_syn_mangler, familiens_syn)
    return log(case.model_copy(update={"tiltak": tiltak}), ctx, "evaluering", tekst)


def postpone_evaluation(case: Case, ctx: Context, tiltak_id: str, *, til: dt.date, grunn: str) -> Case:
    """An evaluation moved to a later date, with the reason: the stafettholder "følger med på tidsfrister",
    so a missed date is moved openly rather than silently adjusted."""
    require_open(case)
    require_involved(case, ctx, N_("postpone an evaluation"))
    index, measure = find_item(case.tiltak, tiltak_id, N_("tiltak"), case)
    if measure.status != "aktiv":
        raise DomainError(_("tiltak {tiltak} has ended ({date})").format(tiltak=tiltak_id, date=_date(measure.slutt)),
                          _("only active tiltak have an evaluation to postpone"))
    was = measure.evalueres
    if was is None:
        raise DomainError(_("tiltak {tiltak} has no evaluation date to postpone").format(tiltak=tiltak_id),
                          _("set one: stafett tiltak adjust {case} {tiltak} --evalueres YYYY-MM-DD").format(
                              case=case.id, tiltak=tiltak_id))
    if til <= was:
        raise DomainError(_("a postponement moves the evaluation later; {date} is not after {was}").format(
                              date=date_text(til), was=date_text(was)),
                          _("to bring it forward: stafett tiltak adjust {case} {tiltak} --evalueres {date}").format(
                              case=case.id, tiltak=tiltak_id, date=til.isoformat()))
    if til < ctx.today:
        raise DomainError(_("the new evaluation date {date} has passed already").format(date=date_text(til)),
                          _("choose today or a later date for --til"))
    if not grunn.strip():
        raise UsageError(_("a postponement needs a reason"), _("say why: --grunn TEXT"))
    moved = new(Utsettelse, fra=was, til=til, grunn=grunn, av=ctx.actor)
    measure = measure.model_copy(update={"evalueres": til, "utsettelser": [*measure.utsettelser, moved]})
    tekst = ctx.tr("The evaluation of tiltak {tiltak} is postponed from {old} to {new}. Reason: {reason}").format(
        tiltak=names.tiltak(case, tiltak_id), old=day(was, ctx), new=day(til, ctx), reason=period(grunn))
    return log(case.model_copy(update={"tiltak": replaced(case.tiltak, index, measure)}), ctx, "evaluering", tekst)


# --- the child's and the family's view -------------------------------------------------------------

def require_childs_view(barnets_syn: Optional[str], mangler: Optional[str]) -> None:
    """"Stafettholder er særlig ansvarlig for at barnet/ungdommen/foresattes stemme er synlig i arbeidet":
    an evaluation says what the child thinks, or why that is not in it (as a referat does)."""
    given, missing = bool((barnets_syn or "").strip()), bool((mangler or "").strip())
    if given and missing:
        raise UsageError(_("give the child's view or why it is missing, not both"),
                         _("keep --barnets-syn or --uten-barnets-syn"))
    if not given and not missing:
        raise UsageError(_("an evaluation records the child's own view, or why it is missing"),
                         _("add --barnets-syn TEXT, or --uten-barnets-syn REASON (e.g. too young: what was observed)"))


def views_missing(ctx: Context, barnets_syn_mangler: Optional[str], familiens_syn: Optional[str]) -> str:
    out = ""
    if barnets_syn_mangler:
        out += " " + ctx.tr("The child's view is not included: {reason}").format(reason=period(barnets_syn_mangler))
    if not (familiens_syn or "").strip():
        out += " " + ctx.tr("The family's view is not included.")
    return out


def evaluation_meeting(case: Case, mote_id: str) -> Mote:
    _index, meeting = find_item(case.moter, mote_id, N_("meeting"), case)
    if meeting.avlyst is not None:
        raise DomainError(_("meeting {meeting} was cancelled").format(meeting=mote_id),
                          _("name the meeting where the evaluation was made, or leave out --mote"))
    return meeting


def _goals(case: Case, ctx: Context, mal: Iterable[str], nye_mal: Iterable[str], utviklingsomrade: Optional[str],
           nytt_utviklingsomrade: Optional[str]) -> tuple[Case, list[str], Optional[str], list[str]]:
    """Resolve goal and area ids, creating the new ones the command names."""
    goal_ids: list[str] = []
    known = {m.id for m in case.mal}
    for goal in mal:
        if goal not in known:
            raise NotFound(_("no goal '{goal}' in case {case}").format(goal=goal, case=case.id),
                           _("known: {known}; add one with --nytt-mal TEXT").format(
                               known=", ".join(sorted(known)) or _("none yet")))
        goal_ids.append(goal)
    added: list[str] = []
    goals = list(case.mal)
    for text in nye_mal:
        if not text.strip():
            raise UsageError(_("a goal needs its text"), _("write the goal, in the hovedperson's words if you can"))
        goal = new(Mal, id=fresh_id(case.model_copy(update={"mal": goals}), "m"), tekst=text)
        goals.append(goal)
        goal_ids.append(goal.id)
        added.append(ctx.tr("new goal {goal}: {text}").format(goal=goal.id, text=short(text)))
    areas = list(case.utviklingsomrader)
    area_id = utviklingsomrade
    if utviklingsomrade is not None and utviklingsomrade not in {u.id for u in areas}:
        raise NotFound(_("no utviklingsområde '{area}' in case {case}").format(area=utviklingsomrade, case=case.id),
                       _("known: {known}; add one with --nytt-utviklingsomrade TEXT").format(
                           known=", ".join(u.id for u in areas) or _("none yet")))
    if nytt_utviklingsomrade is not None:
        if utviklingsomrade is not None:
            raise UsageError(_("give --utviklingsomrade or --nytt-utviklingsomrade, not both"), _("a tiltak serves one area"))
        if not nytt_utviklingsomrade.strip():
            raise UsageError(_("an utviklingsområde needs its text"), _("describe the area"))
        area = new(Utviklingsomrade, id=fresh_id(case.model_copy(update={"mal": goals}), "u"), tekst=nytt_utviklingsomrade)
        areas.append(area)
        area_id = area.id
        added.append(ctx.tr("new utviklingsområde {area}: {text}").format(area=area.id, text=short(nytt_utviklingsomrade)))
    update: dict = {}
    if len(goals) != len(case.mal):
        update["mal"] = goals
    if len(areas) != len(case.utviklingsomrader):
        update["utviklingsomrader"] = areas
    return (case.model_copy(update=update) if update else case), goal_ids, area_id, added


def _served(case: Case, goal_ids: list[str], area_id: Optional[str], added: list[str], ctx: Context) -> str:
    parts = []
    if goal_ids:
        parts.append(ctx.tr("Goals: {goals}.").format(goals=", ".join(names.goal(case, g) for g in goal_ids)))
    if area_id:
        parts.append(ctx.tr("Utviklingsområde: {area}.").format(area=names.area(case, area_id)))
    if added:
        parts.append(period(ctx.tr("Added {items}").format(items="; ".join(added))))  # a goal may end in its own full stop
    return (" " + " ".join(parts)) if parts else ""


def _date(d: Optional[dt.date]) -> str:
    return date_text(d) if d is not None else str(d)
