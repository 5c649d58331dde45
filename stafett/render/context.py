"""A read-only view of one case for the templates.

Templates never see the pydantic model: they get plain values (`View` objects and tuples) in which
staff ids are resolved to names from personer.yaml, foresatte ids to their names, services to their
names, enumerations to labels in the chosen målform, dates to d.m.åååå and times to 14.00. The
fødselsnummer is masked unless asked for, and the copy for the family is filtered here, so a template
cannot show what it was never given.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any, Iterable, Optional

from stafett.errors import DomainError, NotFound, StafettError
from stafett.i18n import _
from stafett.model import Case
from stafett.model.case import STAFETTLOGG_SCOPE, Mote
from stafett.render.labels import value_label

HOVEDPERSON = "hovedperson"


class View(SimpleNamespace):
    """Attribute access for templates; no methods that could change anything."""

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a render view is read-only")


# --- formatting ------------------------------------------------------------------------------------

def fmt_date(value: Optional[dt.date]) -> Optional[str]:
    """d.m.åååå, as Språkrådet writes dates (8.2.2026)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    return f"{value.day}.{value.month}.{value.year}"


def fmt_time(value: Optional[dt.datetime]) -> Optional[str]:
    """Hours and minutes with a dot (14.00, 9.30)."""
    if value is None:
        return None
    return f"{value.hour}.{value.minute:02d}"


def fmt_datetime(value: Optional[dt.datetime], kl: str) -> Optional[str]:
    if value is None:
        return None
    return f"{fmt_date(value)} {kl} {fmt_time(value)}"


def mask_fnr(fnr: Optional[str], show: bool) -> Optional[str]:
    """The fødselsnummer as 'ddmmåå *****' (the birth date part only) unless --show-fnr."""
    if not fnr:
        return None
    return f"{fnr[:6]} {fnr[6:]}" if show else f"{fnr[:6]} *****"


# --- the builder -----------------------------------------------------------------------------------

class _Builder:
    def __init__(self, folder, case: Case, L: dict[str, str], *, for_foresatte: bool, show_fnr: bool) -> None:
        self.folder = folder
        self.case = case
        self.L = L
        self.family = for_foresatte
        self.show_fnr = show_fnr
        self.hidden = set(folder.settings.innstillinger.skjul_for_foresatte) if for_foresatte else set()
        self.foresatte = {f.id: f for f in case.foresatte}

    # names ---------------------------------------------------------------------------------------
    def service(self, service_id: Optional[str]) -> Optional[str]:
        if service_id is None:
            return None
        if service_id == STAFETTLOGG_SCOPE:
            return self.L["scope.stafettlogg"]
        svc = self.folder.settings.service(service_id)
        return svc.navn if svc else service_id

    def staff(self, person_id: Optional[str]) -> Optional[View]:
        if person_id is None:
            return None
        p = self.folder.people.get(person_id)
        if p is None:  # validate reports unknown ids; a render still shows what is written
            return View(id=person_id, navn=person_id, stilling=None, enhet=None, tjeneste=None, rolle=None, tekst=person_id)
        role = ", ".join(x for x in (p.stilling, p.enhet) if x)
        return View(id=p.id, navn=p.navn, stilling=p.stilling, enhet=p.enhet, tjeneste=self.service(p.tjeneste),
                    rolle=role, tekst=f"{p.navn} ({role})" if role else p.navn)

    def name(self, person_id: Optional[str]) -> Optional[str]:
        who = self.who(person_id)
        return who.navn if who else None

    def who(self, any_id: Optional[str]) -> Optional[View]:
        """A staff member, a foresatt or the hovedperson, by the id a case uses for them."""
        if any_id is None:
            return None
        if any_id == HOVEDPERSON:
            navn = self.case.hovedperson.navn
            role = self.L["hovedperson_selv"]
            return View(id=any_id, navn=navn, rolle=role, tekst=f"{navn} ({role})")
        f = self.foresatte.get(any_id)
        if f is not None:
            return View(id=f.id, navn=f.navn, rolle=f.relasjon, tekst=f"{f.navn} ({f.relasjon})")
        # Family who are not foresatte, and external partners: named from the case (the family copy's, when filtered).
        for x in self.case.familie:
            if x.id == any_id:
                return View(id=x.id, navn=x.navn, rolle=x.relasjon, tekst=f"{x.navn} ({x.relasjon})")
        for x in self.case.eksterne:
            if x.id == any_id:
                role = x.virksomhet or value_label(self.L, "instans", x.instans)
                return View(id=x.id, navn=x.navn, rolle=role, tekst=f"{x.navn} ({role})")
        return self.staff(any_id)

    def people(self, ids: Iterable[str]) -> tuple[View, ...]:
        return tuple(w for w in (self.who(i) for i in ids) if w is not None)

    def date(self, value):
        return fmt_date(value)

    def datetime(self, value):
        return fmt_datetime(value, self.L["kl"])

    # sections ------------------------------------------------------------------------------------
    def hovedperson(self) -> View:
        h = self.case.hovedperson
        return View(
            navn=h.navn, kategori=value_label(self.L, "kategori", h.kategori),
            fodselsdato=self.date(h.fodselsdato), termin=self.date(h.termin),
            fodselsnummer=mask_fnr(h.fodselsnummer, self.show_fnr),
        )

    def foresatte_view(self) -> tuple[View, ...]:
        return tuple(
            View(id=f.id, navn=f.navn, relasjon=f.relasjon, foreldreansvar=f.foreldreansvar,
                 telefon=f.telefon, epost=f.epost)
            for f in self.case.foresatte
        )

    def bekymring(self) -> View:
        """The worry; for staff also the suspicion's history and every consultation (family_copy has
        emptied those before a family copy gets here)."""
        from stafett.model.protection import blocked_at, raised

        c = self.case
        b = c.bekymring
        history = tuple(
            View(tid=self.datetime(h.tid), dato=self.date(h.tid), handling=value_label(self.L, "vold", h.handling),
                 av=self.staff(h.av), besluttet_av=self.staff(h.besluttet_av), grunn=h.grunn)
            for h in c.voldsmistanke
        )
        consultations = [
            View(dato=self.date(k.dato), med=value_label(self.L, "konsultasjon", k.med), konsultert=k.konsultert,
                 av=self.staff(k.registrert_av), rad=k.rad,
                 familiekontakt=value_label(self.L, "familiekontakt", k.familiekontakt or "ukjent"))
            for k in c.konsultasjoner
        ]
        if c.konsultasjon is not None:
            k = c.konsultasjon
            consultations.insert(0, View(dato=self.date(k.dato), med=value_label(self.L, "konsultasjon", k.med),
                                         konsultert=None, av=self.staff(k.av), rad=k.rad,
                                         familiekontakt=value_label(self.L, "familiekontakt", "ukjent")))
        return View(dato=self.date(b.dato), meldt_av=self.staff(b.meldt_av), beskrivelse=b.beskrivelse,
                    tjeneste=self.service(b.tjeneste), mistanke_om_vold=raised(c),
                    kontakt_klarert=raised(c) and blocked_at(c) is None, voldsmistanke=history,
                    konsultasjoner=tuple(consultations),
                    konsultasjon=consultations[-1] if consultations else None)

    def stafettholder(self) -> View:
        c = self.case
        s = c.stafettholder
        holder = None
        if s is not None:
            holder = View(person=self.staff(s.person), fra=self.date(s.fra), oppnevnt_av=self.staff(s.oppnevnt_av),
                          familiens_onske=s.familiens_onske, vurdering=_assessment(s.vurdering),
                          leder_godkjent=self.staff(s.leder_godkjent))
        earlier = tuple(
            View(person=self.staff(t.person), fra=self.date(t.fra), til=self.date(t.til), grunn=t.grunn,
                 vurdering=_assessment(t.vurdering))
            for t in c.tidligere_stafettholdere
        )
        o = c.overlevering
        pending = None
        if o is not None:
            pending = View(til=self.staff(o.til), fra=self.staff(o.fra), tilbudt=self.date(o.tilbudt), grunn=o.grunn,
                           onske=o.vurdering.onske, tiltak=o.vurdering.tiltak,
                           koordineringsbehov=o.vurdering.koordineringsbehov, leder_godkjent=self.staff(o.leder_godkjent))
        return View(na=self.staff(c.baton_holder()), eier=self.staff(c.eier), holder=holder, tidligere=earlier,
                    overlevering=pending)

    def koordinator(self) -> View:
        c = self.case
        k = c.koordinator
        kv = None
        if k is not None:
            kv = View(type=value_label(self.L, "koordinator", k.type), person=self.staff(k.person),
                      sekundaer=self.staff(k.sekundaer), oppnevnt_av=self.staff(k.oppnevnt_av), fra=self.date(k.fra),
                      familiens_onske=k.familiens_onske,
                      fravaer=tuple(View(fra=self.date(f.fra), til=self.date(f.til), dekket_av=self.staff(f.dekket_av))
                                    for f in k.fravaer))
        r = c.koordinator_foresporsel
        rv = None
        if r is not None:
            avslag = r.avslag and View(dato=self.date(r.avslag.dato), av=self.staff(r.avslag.av), grunn=r.avslag.grunn)
            rv = View(type=value_label(self.L, "koordinator", r.type), dato=self.date(r.dato), av=self.staff(r.av),
                      begrunnelse=r.begrunnelse, kriterier=tuple(r.kriterier), familiens_onske=r.familiens_onske,
                      avslag=avslag)
        earlier = tuple(
            View(type=value_label(self.L, "koordinator", t.type), person=self.staff(t.person), fra=self.date(t.fra),
                 til=self.date(t.til), grunn=t.grunn)
            for t in c.tidligere_koordinatorer
        )
        ip = c.individuell_plan
        ipv = None
        if ip is not None:
            ipv = View(status=value_label(self.L, "ip", ip.status), dato=self.date(ip.dato), merknad=ip.merknad,
                       periode_fra=self.date(ip.periode_fra), periode_til=self.date(ip.periode_til),
                       revisjoner=tuple(self.date(r) for r in ip.revisjoner),
                       evalueringer=tuple(View(dato=self.date(e.dato), av=self.staff(e.av), vurdering=e.vurdering,
                                               barnets_syn=e.barnets_syn, barnets_syn_mangler=e.barnets_syn_mangler,
                                               familiens_syn=e.familiens_syn) for e in ip.evalueringer))
        return View(koordinator=kv, foresporsel=rv, tidligere=earlier, individuell_plan=ipv,
                    any=bool(kv or rv or ipv or earlier))

    def samtykke(self, s) -> View:
        trukket = None
        if s.trukket is not None:
            trukket = View(dato=self.date(s.trukket.dato), registrert_av=self.staff(s.trukket.registrert_av),
                           merknad=s.trukket.merknad)
        return View(id=s.id, gitt_av=self.who(s.gitt_av), dato=self.date(s.dato),
                    omfang=tuple(self.service(x) for x in s.omfang), form=value_label(self.L, "form", s.form),
                    registrert_av=self.staff(s.registrert_av), utloper=self.date(s.utloper), trukket=trukket)

    def familie(self) -> tuple[View, ...]:
        return tuple(View(id=f.id, navn=f.navn, relasjon=f.relasjon, telefon=f.telefon, epost=f.epost)
                     for f in self.case.familie)

    def eksterne(self) -> tuple[View, ...]:
        return tuple(
            View(id=e.id, navn=e.navn, instans=value_label(self.L, "instans", e.instans), virksomhet=e.virksomhet,
                 rolle=e.rolle, telefon=e.telefon, epost=e.epost, fra=self.date(e.fra), til=self.date(e.til))
            for e in self.case.eksterne
        )

    def deltakere(self) -> tuple[View, ...]:
        return tuple(
            View(person=self.staff(d.person), tjeneste=self.service(d.tjeneste), rolle=d.rolle,
                 fra=self.date(d.fra), til=self.date(d.til))
            for d in self.case.deltakere
        )

    def mal(self) -> tuple[View, ...]:
        return tuple(View(id=m.id, nr=i, tekst=m.tekst) for i, m in enumerate(self.case.mal, 1))

    def utviklingsomrader(self) -> tuple[View, ...]:
        return tuple(View(id=u.id, nr=i, tekst=u.tekst) for i, u in enumerate(self.case.utviklingsomrader, 1))

    def kartlegginger(self) -> tuple[View, ...]:
        return tuple(
            View(id=k.id, dato=self.date(k.dato), av=self.staff(k.av), tekst=k.tekst)
            for k in self.case.kartlegginger
        )

    def tiltak(self, goals: tuple[View, ...], areas: tuple[View, ...]) -> tuple[View, ...]:
        goal_nr = {g.id: g.nr for g in goals}
        goal_text = {g.id: g.tekst for g in goals}
        area_text = {a.id: a.tekst for a in areas}
        out = []
        for i, t in enumerate(self.case.tiltak, 1):
            evaluations = tuple(
                View(dato=self.date(e.dato), av=self.staff(e.av), utfall=value_label(self.L, "utfall", e.utfall),
                     vurdering=e.vurdering, barnets_syn=e.barnets_syn, familiens_syn=e.familiens_syn,
                     neste_evaluering=self.date(e.neste_evaluering), barnets_syn_mangler=e.barnets_syn_mangler,
                     mote=self.meeting_title(e.mote))
                for e in t.evalueringer
            )
            postponed = tuple(View(fra=self.date(u.fra), til=self.date(u.til), grunn=u.grunn, av=self.staff(u.av))
                              for u in t.utsettelser)
            out.append(View(
                id=t.id, nr=i, beskrivelse=t.beskrivelse,
                mal=tuple(str(goal_nr.get(m, m)) for m in t.mal),
                mal_tekst=tuple(goal_text.get(m, m) for m in t.mal),
                utviklingsomrade=area_text.get(t.utviklingsomrade, t.utviklingsomrade) if t.utviklingsomrade else None,
                ansvarlig=self.staff(t.ansvarlig), start=self.date(t.start), evalueres=self.date(t.evalueres),
                aktiv=t.status == "aktiv", status=value_label(self.L, "status", t.status), slutt=self.date(t.slutt),
                evalueringer=evaluations, utsettelser=postponed,
            ))
        return tuple(out)

    def meeting_title(self, mote_id: Optional[str]) -> Optional[str]:
        """'Evalueringsmøte nr. 2, 21.4.2026' for an id; a meeting the copy leaves out is not named."""
        for index, m in enumerate(self.case.moter, 1):
            if m.id == mote_id:
                nr = m.nummer if m.nummer is not None else index
                return f"{value_label(self.L, 'motetype', m.type)} {self.L['nr']} {nr}, {self.date(m.tidspunkt)}"
        return None

    def moter(self) -> tuple[View, ...]:
        return tuple(self.mote(m, i) for i, m in enumerate(self.case.moter, 1))

    def mote(self, m: Mote, index: int) -> View:
        r = m.referat
        referat = None
        if r is not None:
            referat = self.referat(m)
        type_label = value_label(self.L, "motetype", m.type)
        nr = m.nummer if m.nummer is not None else index
        return View(
            id=m.id, nr=nr, type=type_label, tittel=f"{type_label} {self.L['nr']} {nr}",
            tidspunkt=self.datetime(m.tidspunkt), dato=self.date(m.tidspunkt), tid=fmt_time(m.tidspunkt),
            varighet=m.varighet_min, sted=m.sted, leder=self.staff(m.leder), referent=self.staff(m.referent),
            innkalt=self.people(m.innkalt), dagsorden=tuple(m.dagsorden), referat=referat,
            avlyst=View(dato=self.date(m.avlyst.tid), grunn=m.avlyst.grunn, av=self.staff(m.avlyst.av)) if m.avlyst else None,
            utsettelser=tuple(View(dato=self.date(u.tid), fra=self.datetime(u.fra), til=self.datetime(u.til), grunn=u.grunn,
                                   av=self.staff(u.av)) for u in m.utsettelser),
            opprinnelig=self.datetime(m.utsettelser[0].fra) if m.utsettelser else None,
        )

    def referat(self, m: Mote) -> View:
        r = m.referat
        assert r is not None
        # Agenda points with the notes written under them; notes on other points follow in their order.
        notes: dict[str, list[str]] = {}
        order: list[str] = []
        for n in r.notater:
            if n.punkt not in notes:
                notes[n.punkt] = []
                order.append(n.punkt)
            notes[n.punkt].append(n.notat)
        points = list(m.dagsorden) + [p for p in order if p not in m.dagsorden]
        agenda = tuple(View(nr=i, punkt=p, notater=tuple(notes.get(p, ()))) for i, p in enumerate(points, 1))
        consents = []
        for ref in r.consents():
            match = next((s for s in self.case.samtykker if s.id == ref), None)
            consents.append(self.samtykke(match) if match else View(
                id=ref, gitt_av=None, dato=None, omfang=(), form=None, registrert_av=None, utloper=None,
                trukket=None))
        consent = consents[0] if consents else None
        return View(
            skrevet=self.date(r.skrevet), skrevet_av=self.staff(r.skrevet_av),
            tilstede=self.people(r.tilstede), fravaerende=self.people(r.fravaerende), kopi_til=self.people(r.kopi_til),
            samtykke=consent, samtykker=tuple(consents), dagsorden=agenda, beslutninger=tuple(r.beslutninger),
            oppgaver=tuple(View(id=o.id, tekst=o.tekst, ansvarlig=self.staff(o.ansvarlig), frist=self.date(o.frist),
                                utfort=View(dato=self.date(o.utfort.dato), av=self.staff(o.utfort.av), merknad=o.utfort.merknad)
                                if o.utfort else None)
                           for o in r.oppgaver),
            barnets_stemme=r.barnets_stemme, barnets_stemme_mangler=r.barnets_stemme_mangler,
            neste_mote=self.datetime(r.neste_mote),
        )

    def logg(self) -> tuple[View, ...]:
        entries = sorted(self.case.logg, key=lambda e: _sort_key(e.tid))
        return tuple(self.logg_entry(e) for e in entries)

    def logg_entry(self, e) -> View:
        av = self.staff(e.av)
        registrar = self.staff(e.registrert_av)
        # Registered on someone's behalf: both names, so nobody reads it as the other's own hand.
        av_tekst = f"{av.navn} ({self.L['registrert_for']} {registrar.navn})" if registrar else av.navn
        return View(tid=self.datetime(e.tid), dato=self.date(e.tid), av=av, registrert_av=registrar, av_tekst=av_tekst,
                    type=e.type, type_tekst=value_label(self.L, "logg", e.type), tekst=e.tekst,
                    med=tuple(w.navn for w in self.people(e.med)), gjelder=self.concerns(e.gjelder))

    def concerns(self, ids: Iterable[str]) -> tuple[View, ...]:
        """What a log entry is about: a label (Tiltak 2, Samarbeidsmøte nr. 1...) and, for items a stafettlogg
        shows with an anchor, `anker` to link to. Ids the (filtered) case does not hold are left out."""
        items = getattr(self, "_items", None)
        if items is None:
            items = self._items = self._item_labels()
        return tuple(items[i] for i in ids if i in items)

    def _item_labels(self) -> dict[str, View]:
        c, L = self.case, self.L
        out: dict[str, View] = {}

        def add(item_id: str, tekst: str, anchored: bool = False) -> None:
            out[item_id] = View(id=item_id, tekst=tekst, anker=f"ref-{item_id}" if anchored else None)

        for n, t in enumerate(c.tiltak, 1):
            add(t.id, f"{L['ett_tiltak']} {n}", True)
        for n, m in enumerate(c.moter, 1):
            add(m.id, f"{value_label(L, 'motetype', m.type)} {L['nr']} {m.nummer or n}", True)
            for o in (m.referat.oppgaver if m.referat else ()):
                if o.id:
                    add(o.id, f"{L['oppgave']}: {o.tekst.strip().splitlines()[0][:60]}")
        for s in c.samtykker:
            add(s.id, f"{L['samtykker']} {self.date(s.dato)}", True)
        for n, g in enumerate(c.mal, 1):
            add(g.id, f"{L['mal_ref']} {n}")
        for x in (*c.eksterne, *c.familie):
            add(x.id, x.navn, True)
        for k in c.konsultasjoner:
            add(k.id, f"{value_label(L, 'logg', 'konsultasjon')} {self.date(k.dato)}")
        for item in (*c.kartlegginger, *c.utviklingsomrader, *c.kopier):
            add(item.id, item.id)
        return out

    def kopier(self) -> tuple[View, ...]:
        """Copies sent (stafett copy). Family members and external partners are named from the case itself."""
        others = {x.id: f"{x.navn} ({x.relasjon})" for x in self.case.familie}
        others |= {x.id: f"{x.navn} ({x.virksomhet or x.instans})" for x in self.case.eksterne}
        meetings = {m.id: m for m in self.case.moter}
        out = []
        for k in self.case.kopier:
            til = tuple(others[i] if i in others else (self.who(i).tekst if self.who(i) else i) for i in k.til)
            dokument = value_label(self.L, "dokument", k.dokument)
            if k.mote in meetings:
                dokument = f"{dokument} {self.date(meetings[k.mote].tidspunkt)}"
            out.append(View(id=k.id, dato=self.date(k.dato), til=til, dokument=dokument,
                            utgave=value_label(self.L, "utgave", k.kopi_for), format=k.format,
                            kanal=value_label(self.L, "kanal", k.kanal), sendt_av=self.staff(k.sendt_av),
                            versjon=(k.commit or "")[:7] or None, sha256=k.sha256[:12]))
        return tuple(out)

    def avslutning(self) -> Optional[View]:
        a = self.case.avsluttet
        if a is None:
            return None
        return View(dato=self.date(a.dato), grunn=value_label(self.L, "grunn", a.grunn), merknad=a.merknad)


def _assessment(v) -> Optional[View]:
    """The three things weighed when the baton moved, kept with the holder they were weighed for."""
    return View(onske=v.onske, tiltak=v.tiltak, koordineringsbehov=v.koordineringsbehov) if v is not None else None


def _sort_key(value: dt.datetime) -> tuple:
    # Naive and aware times in one log must still sort: compare on the wall clock written in the file.
    return (value.replace(tzinfo=None),)


def _family_case(case: Case, kind: str, meeting_id: Optional[str]) -> Case:
    """The family copy's data, or a refusal while the suspicion of violence or abuse blocks family contact."""
    from stafett.model.audience import family_copy, hidden_meeting
    from stafett.model.protection import blocked_at

    if blocked_at(case) is not None:
        raise DomainError(_("suspected violence or abuse is flagged: no copy goes to the family until a consultation "
                            "with barnevern or politi has cleared contact"),
                          _("render the staff copy (without --for foresatte), or record the advice: "
                            "stafett suspicion consult {case} ...").format(case=case.id))
    if kind == "referat" and meeting_id is not None and hidden_meeting(case, meeting_id):
        raise DomainError(_("meeting {meeting} was held while contact with the family was blocked; "
                            "its referat is not in a family copy").format(meeting=meeting_id),
                          _("send the family a referat of a later meeting"))
    return family_copy(case)


def build(folder, case: Case, L: dict[str, str], *, kind: str, meeting_id: Optional[str], for_foresatte: bool,
          show_fnr: bool) -> dict[str, Any]:
    """The template context: `c` (the case view) and, for a referat, `m` (the meeting)."""
    if for_foresatte:
        case = _family_case(case, kind, meeting_id)
    if kind == "referat":
        # A referat shows the tiltak, evaluations and consents as the meeting saw them, not as they are now.
        from stafett.model.snapshot import as_of

        held = next((x for x in case.moter if x.id == meeting_id), None)
        if held is not None:
            case = as_of(case, held.tidspunkt.date())
    b = _Builder(folder, case, L, for_foresatte=for_foresatte, show_fnr=show_fnr)
    goals = b.mal()
    areas = b.utviklingsomrader()
    moter = b.moter()
    logg = b.logg()
    last = max((e.tid for e in case.logg), default=None)
    c = View(
        id=case.id, kommune=folder.settings.kommune, status=value_label(L, "status", case.status),
        avsluttet=case.status == "avsluttet", niva=case.niva, opprettet=b.date(case.opprettet),
        sist_oppdatert=b.date(last) if last else b.date(case.opprettet),
        hovedperson=b.hovedperson(), foresatte=b.foresatte_view(), bekymring=b.bekymring(),
        stafettholder=b.stafettholder(), koordinator=b.koordinator(),
        familie=b.familie(), eksterne=b.eksterne(),
        samtykker=tuple(b.samtykke(s) for s in case.samtykker), deltakere=b.deltakere(),
        mal=goals, utviklingsomrader=areas, kartlegginger=b.kartlegginger(), tiltak=b.tiltak(goals, areas),
        moter=moter, logg=logg, lysglimt=tuple(e for e in logg if e.type == "lysglimt"), avslutning=b.avslutning(),
        kopier=b.kopier(),
    )
    m = None
    if kind == "referat":
        if meeting_id is None:
            raise StafettError(_("a referat needs a meeting"), _("pass --meeting ID"))
        index = next((i for i, x in enumerate(case.moter) if x.id == meeting_id), None)
        if index is None:
            known = ", ".join(x.id for x in case.moter)
            raise NotFound(_("no meeting {meeting} in {case}").format(meeting=meeting_id, case=case.id),
                           _("meetings in this case: {meetings}").format(meetings=known) if known
                           else _("meetings in this case: none"))
        m = moter[index]
        if m.referat is None:
            raise StafettError(_("meeting {meeting} has no referat yet").format(meeting=meeting_id),
                               _("record the referat with `stafett meeting` first, then render it"))
    return {"c": c, "m": m}
