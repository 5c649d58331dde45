"""The journal note (stafett journal): what concerns ONE service in a period, as plain text a worker pastes
into that service's fagsystem.

What concerns a service: its participants, the tiltak it is responsible for (ansvarlig among its staff), the
meetings it attended (its staff invited, present or absent), the tasks its staff were given, the consents
that cover it, and the log entries its staff wrote, took part in or that name its tiltak or meetings, plus
the few entries about the case itself (opened, stafettholder appointed, nivå, closed). Another service's
tiltak never appear, not even through the log: entries about tiltak, evaluations, meetings, referater,
consents and participants are shown by their own sections, from the record, never from the log's words.

Protected material follows the journal, not the layout: a service's journal is open to the family
(forvaltningsloven §§ 18-19, pasientjournalloven), so every note but barnevern's is built from the family's
view of the case (model/audience.py: no suspicion of violence or abuse, no consultations, nothing written
while family contact was blocked, nothing skjermet). Barnevern's note carries the staff view, and its
profile decides where the suspicion's history goes (`voldsmistanke`).

The note is built here in code, not in a template: plain text has no markup to escape, and the profile
(sections, headings, width, title) is the part a kommune changes. Rendering only reads.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from typing import Callable, Iterable, Optional

from markdown_it.tree import SyntaxTreeNode

from stafett.model import Case
from stafett.model.case import Mote
from stafett.model.sharing import Period, is_barnevern, require_shared
from stafett.render.context import fmt_date, fmt_time
from stafett.render.labels import value_label

# Log kinds shown by a section of their own (from the record), never as log lines.
OWN_SECTION_KINDS = frozenset({"tiltak", "evaluering", "møte", "referat", "samtykke", "deltaker", "kopi",
                               "voldsmistanke", "konsultasjon"})
# Entries about the case itself, which every service in it may read.
CASE_KINDS = frozenset({"opprettet", "oppnevning", "nivå", "avsluttet"})
KOORDINATOR_KINDS = frozenset({"koordinator", "individuell_plan"})


# --- plain text out of case Markdown ----------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _visible(text: str) -> str:
    """Control characters (a terminal escape, a NUL) as <U+001B>: pasted text must not act on anything."""
    return _CONTROL.sub(lambda m: f"<U+{ord(m.group(0)):04X}>", text)


def _inline(node: SyntaxTreeNode) -> str:
    out = []
    for child in node.children:
        if child.type == "text" or child.type == "code_inline":
            out.append(child.content)
        elif child.type == "softbreak":
            out.append(" ")
        elif child.type == "hardbreak":
            out.append("\n")
        elif child.children:
            out.append(_inline(child))
        else:
            out.append(child.content or "")
    return "".join(out)


Block = tuple[str, str, str]  # (first-line prefix, text, prefix of the lines after)


def _blocks(nodes: Iterable[SyntaxTreeNode], indent: str = "") -> list[Block]:
    out: list[Block] = []
    for node in nodes:
        if node.type in ("paragraph", "heading"):
            out.append((indent, _inline(node.children[0]) if node.children else "", indent))
        elif node.type in ("bullet_list", "ordered_list"):
            start = int(node.attrs.get("start", 1)) if node.type == "ordered_list" else 1
            for n, item in enumerate(node.children):
                marker = f"{start + n}. " if node.type == "ordered_list" else "- "
                inner = _blocks(item.children, indent + " " * len(marker)) or [(indent, "", indent)]
                first = inner[0]
                out.append((indent + marker, first[1], first[2]))
                out.extend(inner[1:])
        elif node.type == "blockquote":
            out.extend(_blocks(node.children, indent + "  "))
        elif node.type in ("fence", "code_block"):
            out.extend((indent + "    ", line, indent + "    ") for line in node.content.rstrip("\n").split("\n"))
        elif node.type == "hr":
            continue
        elif node.content:
            out.append((indent, node.content, indent))
    return out


def plain_blocks(text: Optional[str]) -> list[Block]:
    """Case free text (Markdown) as plain blocks: no markup, links as 'text (address)', lists kept."""
    if not text or not text.strip():
        return []
    from stafett.render.markdown import parser

    return _blocks(SyntaxTreeNode(parser().parse(text)).children)


# --- the writer ---------------------------------------------------------------------------------------

class _Writer:
    def __init__(self, width: int, heading_style: str) -> None:
        self.width = width
        self.style = heading_style
        self.lines: list[str] = []

    def wrap(self, text: str, first: str = "", rest: str = "") -> None:
        parts = _visible(text).split("\n")
        for n, part in enumerate(parts):
            lead = first if n == 0 else rest
            words = " ".join(part.split())
            if self.width <= 0 or len(lead) + len(words) <= self.width:
                self.lines.append((lead + words).rstrip())
                continue
            self.lines.extend(textwrap.wrap(words, self.width, initial_indent=lead, subsequent_indent=rest,
                                            break_long_words=False, break_on_hyphens=False) or [lead.rstrip()])

    def heading(self, text: str) -> None:
        if self.lines and self.lines[-1]:
            self.lines.append("")
        if self.style == "versaler":
            self.lines.append(text.upper())
        elif self.style == "kolon":
            self.lines.append(text.rstrip(":") + ":")
        else:
            self.lines.append(text)
            self.lines.append("-" * len(text))

    def item(self, head: str, text: Optional[str] = None, *, marker: str = "- ") -> None:
        """One list item: a head ('19.11.2026, Kontakt, Kari Nesheim') and free text after a colon."""
        pad = " " * len(marker)
        blocks = plain_blocks(text) if text else []
        if not blocks:
            self.wrap(head, marker, pad)
            return
        first_prefix, first_text, first_rest = blocks[0]
        joined = f"{head}: {first_text}" if not first_prefix.strip() else head + ":"
        self.wrap(joined, marker, pad)
        rest = blocks if first_prefix.strip() else blocks[1:]
        for prefix, body, cont in rest:
            self.wrap(body, pad + prefix, pad + cont)

    def field(self, label: str, value: Optional[str], indent: str = "  ") -> None:
        if value:
            blocks = plain_blocks(value)
            if len(blocks) <= 1:
                self.wrap(f"{label}: {blocks[0][1] if blocks else value}", indent, indent + "  ")
                return
            self.wrap(f"{label}:", indent, indent)
            for prefix, body, cont in blocks:
                self.wrap(body, indent + "  " + prefix, indent + "  " + cont)

    def blank(self) -> None:
        if self.lines and self.lines[-1]:
            self.lines.append("")

    def text(self) -> str:
        while self.lines and not self.lines[-1]:
            self.lines.pop()
        return "\n".join(self.lines) + "\n"


# --- what concerns the service -----------------------------------------------------------------------

class _Scope:
    def __init__(self, folder, case: Case, service_id: str, period: Period, L: dict[str, str], profile) -> None:
        self.folder = folder
        self.case = case
        self.service = service_id
        self.period = period
        self.L = L
        self.profile = profile
        self.staff = {p.id for p in folder.people.personer if p.tjeneste == service_id}
        self.guardians = {f.id: f for f in case.foresatte}

    def name(self, any_id: Optional[str]) -> str:
        if any_id is None:
            return ""
        if any_id == "hovedperson":
            return f"{self.case.hovedperson.navn} ({self.L['hovedperson_selv']})"
        if any_id in self.guardians:
            f = self.guardians[any_id]
            return f"{f.navn} ({f.relasjon})"
        p = self.folder.people.get(any_id)
        return p.navn if p else any_id

    def staff_text(self, pid: Optional[str]) -> str:
        p = self.folder.people.get(pid) if pid else None
        if p is None:
            return pid or ""
        return f"{p.navn}, {p.stilling}"

    def service_name(self, sid: str) -> str:
        if sid == "stafettlogg":
            return self.L["scope.stafettlogg"]
        svc = self.folder.settings.service(sid)
        return svc.navn if svc else sid

    def attended(self, m: Mote) -> bool:
        people = set(m.innkalt) | {m.leder, m.referent}
        if m.referat is not None:
            people |= set(m.referat.tilstede) | set(m.referat.fravaerende)
        return bool(people & self.staff)

    def meetings(self) -> list[Mote]:
        return [m for m in self.case.moter if self.period.holds(m.tidspunkt) and self.attended(m)]

    def tiltak(self):
        return [t for t in self.case.tiltak if t.ansvarlig in self.staff
                and self.period.overlaps(t.start, t.slutt if t.status == "avsluttet" else None)]

    def concerns(self, e) -> bool:
        if e.type in OWN_SECTION_KINDS:
            return False
        if e.type in KOORDINATOR_KINDS:
            return "koordinator" in self.profile.journal_sections
        if e.type in CASE_KINDS:
            return True
        if {e.av, e.registrert_av} & self.staff or self.service in e.med or set(e.med) & self.staff:
            return True
        own = {t.id for t in self.case.tiltak if t.ansvarlig in self.staff}
        own |= {m.id for m in self.case.moter if self.attended(m)}
        return bool(set(e.gjelder) & own)


def _day(value) -> str:
    return fmt_date(value) or ""


def _when(value: dt.datetime, L) -> str:
    if value.hour == 0 and value.minute == 0:
        return _day(value)
    return f"{_day(value)} {L['kl']} {fmt_time(value)}"


# --- sections: each writes its lines and says whether the period brought anything -----------------

def _oversikt(w: _Writer, s: _Scope) -> bool:
    c, L = s.case, s.L
    w.heading(L["oversikt"])
    w.field(L["status"], value_label(L, "status", c.status) + f", {L['niva']} {c.niva}", "")
    w.field(L["holder_na"], s.staff_text(c.baton_holder()), "")
    if c.koordinator is not None:
        w.field(L["koordinator_person"], s.staff_text(c.koordinator.person), "")
    return False


def _bekymring(w: _Writer, s: _Scope) -> bool:
    b, L = s.case.bekymring, s.L
    if not s.period.holds(b.dato):
        return False
    w.heading(L["bekymring"])
    w.field(L["dato"], _day(b.dato), "")
    w.field(L["meldt_av"], s.staff_text(b.meldt_av), "")
    if b.beskrivelse:
        for prefix, body, cont in plain_blocks(b.beskrivelse):
            w.wrap(body, prefix, cont)
    return True


def _voldsmistanke(w: _Writer, s: _Scope) -> bool:
    if not is_barnevern(s.folder.settings, s.service):
        return False  # everyone else's journal is open to the family
    c, L = s.case, s.L
    steps = [h for h in c.voldsmistanke if s.period.holds(h.tid)]
    consults = [k for k in c.konsultasjoner if s.period.holds(k.dato)]
    if not steps and not consults:
        return False
    w.heading(L["voldsmistanke"])
    for h in steps:
        who = s.staff_text(h.av) + (f"; {L['besluttet_av'].lower()} {s.staff_text(h.besluttet_av)}" if h.besluttet_av else "")
        w.item(f"{_when(h.tid, L)}, {value_label(L, 'vold', h.handling).lower()} ({who})", h.grunn)
    for k in consults:
        w.item(f"{L['konsultert']} {value_label(L, 'konsultasjon', k.med).lower()} {_day(k.dato)} ({k.konsultert})", k.rad)
        w.field(L["familiekontakt"], value_label(L, "familiekontakt", k.familiekontakt or "ukjent"))
    return True


def _koordinator(w: _Writer, s: _Scope) -> bool:
    c, L, p = s.case, s.L, s.period
    k, req, ip = c.koordinator, c.koordinator_foresporsel, c.individuell_plan
    earlier = [t for t in c.tidligere_koordinatorer if p.holds(t.til)]
    if not (k or req or ip or earlier):
        return False
    w.heading(L["koordinator"])
    news = False
    if k is not None:
        w.item(f"{value_label(L, 'koordinator', k.type)}: {s.staff_text(k.person)}, {L['fra'].lower()} {_day(k.fra)}")
        w.field(L["sekundaer"], s.staff_text(k.sekundaer) if k.sekundaer else None)
        for f in k.fravaer:
            if p.overlaps(f.fra, f.til):
                w.field(L["journal_fravaer"], f"{_day(f.fra)}–{_day(f.til)}, {s.staff_text(f.dekket_av)}")
                news = True
        news |= p.holds(k.fra)
    for t in earlier:
        w.item(f"{L['tidligere_koordinatorer']}: {s.staff_text(t.person)}, {_day(t.fra)}–{_day(t.til)}", t.grunn)
        news = True
    if req is not None and (p.holds(req.dato) or (req.avslag and p.holds(req.avslag.dato))):
        w.item(f"{L['foresporsel']} {_day(req.dato)} ({value_label(L, 'koordinator', req.type).lower()})", req.begrunnelse)
        if req.avslag is not None:
            w.field(L["avslag"], f"{_day(req.avslag.dato)}: {req.avslag.grunn}")
        news = True
    if ip is not None:
        span = f", {_day(ip.periode_fra)}–{_day(ip.periode_til)}" if ip.periode_fra else ""
        w.item(f"{L['individuell_plan']}: {value_label(L, 'ip', ip.status).lower()} {_day(ip.dato)}{span}", ip.merknad)
        upcoming = [d for d in ip.revisjoner if d >= p.fra]
        w.field(L["revisjoner"], ", ".join(_day(d) for d in upcoming) or None)
        for e in ip.evalueringer:
            if p.holds(e.dato):
                w.field(f"{L['evaluering']} {_day(e.dato)} ({s.staff_text(e.av)})", e.vurdering)
                news = True
        news |= p.holds(ip.dato)
    return news


def _deltakere(w: _Writer, s: _Scope) -> bool:
    rows = [d for d in s.case.deltakere if d.tjeneste == s.service and s.period.overlaps(d.fra, d.til)]
    if not rows:
        return False
    w.heading(s.L["deltakere"])
    for d in rows:
        span = f"{_day(d.fra)}–{_day(d.til)}" if d.til else f"{s.L['fra'].lower()} {_day(d.fra)}"
        w.item(f"{s.staff_text(d.person)}{', ' + d.rolle if d.rolle else ''}, {span}")
    return any(s.period.holds(d.fra) or s.period.holds(d.til) for d in rows)


def _samtykker(w: _Writer, s: _Scope) -> bool:
    p, L = s.period, s.L
    rows = [x for x in s.case.samtykker if s.service in x.omfang and x.dato <= p.til
            and (x.trukket is None or x.trukket.dato >= p.fra) and (x.utloper is None or x.utloper >= p.fra)]
    if not rows:
        return False
    w.heading(L["samtykker"])
    for x in rows:
        signed = ", ".join(s.name(i) for i in x.signatories())
        head = f"{L['gitt_av']} {signed} {_day(x.dato)}, {value_label(L, 'form', x.form).lower()}"
        w.item(head)
        w.field(L["omfang"], ", ".join(s.service_name(o) for o in x.omfang))
        w.field(L["utloper"], _day(x.utloper) if x.utloper else None)
        w.field(L["trukket"], _day(x.trukket.dato) if x.trukket else None)
    return any(p.holds(x.dato) or (x.trukket and p.holds(x.trukket.dato)) for x in rows)


def _tiltak(w: _Writer, s: _Scope) -> bool:
    rows = s.tiltak()
    if not rows:
        return False
    L, p = s.L, s.period
    goals = {g.id: g.tekst for g in s.case.mal}
    w.heading(L["tiltak"])
    news = False
    for t in rows:
        w.item(L["ett_tiltak"], t.beskrivelse)
        w.field(L["mal_ref"], "; ".join(" ".join(goals.get(g, g).split()).rstrip(" .;") for g in t.mal) or None)
        w.field(L["ansvarlig"], s.staff_text(t.ansvarlig))
        w.field(L["start"], _day(t.start))
        if t.status == "aktiv":
            w.field(L["evalueres"], _day(t.evalueres) if t.evalueres else None)
        else:
            w.field(L["slutt"], _day(t.slutt) if t.slutt else value_label(L, "status", t.status))
        for e in t.evalueringer:
            if not p.holds(e.dato):
                continue
            w.field(f"{L['evaluering']} {_day(e.dato)}", f"{value_label(L, 'utfall', e.utfall)}. {e.vurdering}")
            w.field(L["barnets_syn"], e.barnets_syn, "    ")
            w.field(L["familiens_syn"], e.familiens_syn, "    ")
            news = True
        news |= p.holds(t.start) or (t.slutt is not None and p.holds(t.slutt))
    return news


def _moter(w: _Writer, s: _Scope) -> bool:
    rows = s.meetings()
    if not rows:
        return False
    L = s.L
    w.heading(L["moter"])
    for m in rows:
        nr = m.nummer if m.nummer is not None else s.case.moter.index(m) + 1
        w.item(f"{value_label(L, 'motetype', m.type)} {L['nr']} {nr}, {_when(m.tidspunkt, L)}, {m.sted}")
        if m.avlyst is not None:
            w.field(L["journal_avlyst"], m.avlyst.grunn)
            continue
        r = m.referat
        if r is None:
            w.field(L["referat_status"], L["referat_mangler"])
            continue
        present = [s.name(i) for i in r.tilstede if i in s.staff]
        absent = [s.name(i) for i in r.fravaerende if i in s.staff]
        w.field(f"{L['journal_fra_tjenesten']}, {L['tilstede'].lower()}", ", ".join(present) or None)
        w.field(f"{L['journal_fra_tjenesten']}, {L['fravaerende'].lower()}", ", ".join(absent) or None)
        if r.beslutninger:
            w.wrap(f"{L['beslutninger']}:", "  ", "  ")
            for b in r.beslutninger:
                _decision(w, b)
        w.field(L["barnets_stemme"], r.barnets_stemme or r.barnets_stemme_mangler)
        w.field(L["neste_mote"], _when(r.neste_mote, L) if r.neste_mote else None)
    return True


def _decision(w: _Writer, text: str) -> None:
    blocks = plain_blocks(text)
    for n, (prefix, body, cont) in enumerate(blocks):
        w.wrap(body, ("    - " if n == 0 else "      ") + prefix, "      " + cont)


def _oppgaver(w: _Writer, s: _Scope) -> bool:
    L, p = s.L, s.period
    rows, news = [], False
    for m in s.case.moter:
        if m.referat is None or not s.attended(m):
            continue
        for o in m.referat.oppgaver:
            if o.ansvarlig not in s.staff:
                continue
            done = o.utfort
            fresh = p.holds(m.tidspunkt) or (done is not None and p.holds(done.dato))
            if fresh or (done is None and m.tidspunkt.date() <= p.til):
                rows.append(o)  # a task still open is shown, but it is not news of the period
                news |= fresh
    if not rows:
        return False
    w.heading(L["oppgaver"])
    for o in rows:
        tail = f" ({L['ansvarlig'].lower()} {s.name(o.ansvarlig)}, {L['frist'].lower()} {_day(o.frist)})"
        if o.utfort is not None:
            tail += f"; {L['utfort'].lower()} {_day(o.utfort.dato)}"
        w.item(_flat(o.tekst) + tail)
    return news


def _flat(text: str) -> str:
    return " ".join(b[1] for b in plain_blocks(text)) or text


def _logg(w: _Writer, s: _Scope) -> bool:
    L = s.L
    rows = sorted((e for e in s.case.logg if s.period.holds(e.tid) and s.concerns(e)),
                  key=lambda e: e.tid.replace(tzinfo=None))
    if not rows:
        return False
    w.heading(L["logg"])
    for e in rows:
        who = s.name(e.av) + (f" ({L['registrert_for']} {s.name(e.registrert_av)})" if e.registrert_av else "")
        med = f" ({L['med'].lower()}: {', '.join(s.name(i) if i not in s.folder.settings.tjenester else i for i in e.med)})" if e.med else ""
        w.item(f"{_when(e.tid, L)}, {value_label(L, 'logg', e.type)}, {who}{med}", e.tekst)
    return True


SECTIONS: dict[str, Callable[[_Writer, _Scope], bool]] = {
    "oversikt": _oversikt, "bekymring": _bekymring, "voldsmistanke": _voldsmistanke, "koordinator": _koordinator,
    "deltakere": _deltakere, "samtykker": _samtykker, "tiltak": _tiltak, "moter": _moter, "oppgaver": _oppgaver,
    "logg": _logg,
}
# Sections that say where the case stands rather than what happened: alone they are not news.
STATE_SECTIONS = frozenset({"oversikt"})


def title_line(template: str, **values: str) -> str:
    """The profile's title with {tjeneste}, {sak}, {fra} and {til} filled in; nothing else is read from it."""
    return re.sub(r"\{(tjeneste|sak|fra|til)\}", lambda m: values[m.group(1)], template)


def render_journal(folder, case: Case, *, service: str, period: Period, layout: str, lang: Optional[str] = None) -> str:
    """The journal note for `service` over `period`, as plain text."""
    from stafett.model.audience import family_copy
    from stafett.render import environment, labels, profiles

    lang = lang or case.malform_in(folder.settings)
    require_shared(case, folder.settings, folder.people, service, period.til)
    if not is_barnevern(folder.settings, service):
        case = family_copy(case)
    profile = profiles.load_profile(layout, environment.search_dirs(folder.root))
    L = labels.labels_for(lang, profile.labels)
    scope = _Scope(folder, case, service, period, L, profile)
    w = _Writer(profile.journal_width, profile.journal_heading)
    svc_name = scope.service_name(service)
    span = f"{_day(period.fra)}–{_day(period.til)}"
    title = title_line(L["tittel_journal"], tjeneste=svc_name, sak=case.id, fra=_day(period.fra), til=_day(period.til))
    w.lines.append(" ".join(_visible(title).split()))  # one line: a fagsystem's title field, never wrapped
    if profile.journal_heading == "understrek":
        w.lines.append("=" * min(len(w.lines[-1]), profile.journal_width or len(w.lines[-1])))
    h = case.hovedperson
    born = f"{L['fodselsdato'].lower()} {_day(h.fodselsdato)}" if h.fodselsdato else f"{L['termin'].lower()} {_day(h.termin)}"
    w.wrap(f"{L['gjelder']}: {h.navn}, {born}")
    w.wrap(f"{L['sak']}: {case.id}, {folder.settings.kommune}")
    w.wrap(f"{L['periode']}: {span}")
    news = False
    for section in profile.journal_sections:
        found = SECTIONS[section](w, scope)
        news |= found and section not in STATE_SECTIONS
        w.blank()
    if not news:
        w.blank()
        w.wrap(L["journal_ingenting"])
    from stafett.textcheck import neutralise

    return neutralise(w.text(), "txt")
