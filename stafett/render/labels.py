"""Every word a rendered document shows. Templates never spell a label themselves, they read `L.<key>`;
a profile may override any key (its `tekster:`).

Each key names an English message id; its bokmål and nynorsk live in the gettext catalogs with every
other text (stafett/locale/<lang>/LC_MESSAGES/stafett.po, docs/translating.md), so a word is changed in
one place. A message id has one translation per målform: two keys that need different Norwegian words
get different English. Section headings use the section id as key.
"""

from __future__ import annotations

import functools
from typing import Mapping

from stafett.i18n import N_, in_lang

LANGS = ("nb", "nn")

LABELS: dict[str, str] = {
    # --- document titles and frame -------------------------------------------------------------
    "tittel_stafettlogg": N_("Stafettlogg"),
    "tittel_referat": N_("Minutes"),
    "kopi_foresatte": N_("Copy for the guardians"),
    "kopi_foresatte_merknad": N_("Some information is left out of this copy, following the kommune's routine."),
    "sak": N_("Case"),
    "kommune": N_("Municipality"),
    "gjelder": N_("Concerns"),
    "sist_oppdatert": N_("Last updated"),
    "side": N_("Page"),
    # TRANSLATORS: between two page numbers, as in "Page 2 of 5".
    "side_av": N_("of"),
    # TRANSLATORS: before a clock time, as in "1.12.2026 kl. 14.00".
    "kl": N_("at"),
    # TRANSLATORS: before a meeting's number, as in "Samarbeidsmøte nr. 2".
    "nr": N_("no."),
    "ingen": N_("None recorded."),
    "ja": N_("Yes"),
    "nei": N_("No"),
    "journalnotat_merknad": N_(
        "Excerpt from the stafettlogg. Assessments and decisions in a service are documented in the "
        "service's own system."
    ),
    "innhold": N_("Contents"),
    # --- stafettlogg section headings ----------------------------------------------------------
    "oversikt": N_("About the case"),
    "hovedperson": N_("Main person"),
    "bekymring": N_("Wondering and worry"),
    "stafettholder": N_("Baton holder and handovers"),
    "koordinator": N_("Coordinator and individual plan"),
    "deltakere": N_("Participants"),
    "samtykker": N_("Consent"),
    "kartlegginger": N_("Surveys"),
    "utviklingsomrader": N_("Areas of development"),
    "mal": N_("Goals"),
    "tiltak": N_("Measures"),
    "moter": N_("Meetings"),
    "lysglimt": N_("Bright spots"),
    "logg": N_("Log"),
    "avslutning": N_("Closing"),
    # --- referat section headings --------------------------------------------------------------
    "mote": N_("The meeting"),
    "motedeltakere": N_("Participants"),
    "motesamtykke": N_("Consent"),
    "dagsorden": N_("Agenda and notes"),
    "beslutninger": N_("Decisions"),
    "oppgaver": N_("Tasks"),
    "barnets_stemme": N_("The child's voice"),
    "neste_mote": N_("Next meeting"),
    # --- fields --------------------------------------------------------------------------------
    "status": N_("Status"),
    "niva": N_("BTI level"),
    "opprettet": N_("Created"),
    "navn": N_("Name"),
    "kategori": N_("Category"),
    "fodselsdato": N_("Date of birth"),
    "termin": N_("Due date"),
    "fodselsnummer": N_("National identity number"),
    "foresatte": N_("Guardians"),
    "relasjon": N_("Relation"),
    "foreldreansvar": N_("Parental responsibility"),
    "kontakt": N_("Contact"),
    "dato": N_("Date"),
    "meldt_av": N_("Reported by"),
    "beskrivelse": N_("Description"),
    "tjeneste": N_("Service"),
    "mistanke_om_vold": N_(
        "Suspicion of violence or abuse: the family is not contacted before child welfare or the police "
        "have been consulted"
    ),
    "mistanke_klarert": N_("Child welfare or the police have cleared contact with the family"),
    "konsultert": N_("Consulted"),
    "konsultert_hvem": N_("Who"),
    "konsultasjoner": N_("Consultations"),
    "voldsmistanke": N_("Suspicion of violence or abuse"),
    "familiekontakt": N_("Contact with the family"),
    "besluttet_av": N_("Decided by"),
    "grunn": N_("Reason"),
    # TRANSLATORS: lower case, inside brackets after a name: "Kari (registered by Ola)".
    "registrert_for": N_("registered by"),
    "rad": N_("Advice"),
    "eier": N_("Owner of the wondering"),
    "holder_na": N_("Holds the baton now"),
    "stafettholder_person": N_("Baton holder"),
    "fra": N_("From"),
    "til": N_("To"),
    "oppnevnt_av": N_("Appointed by"),
    "familiens_onske": N_("The family's wish"),
    "tidligere_stafettholdere": N_("Previous baton holders"),
    "overlevering": N_("Handover awaiting an answer"),
    "tilbudt_til": N_("Offered to"),
    "tilbudt_av": N_("Offered by"),
    "tilbudt": N_("Offered"),
    "vurdering_onske": N_("The wishes of the child, young person or family"),
    "vurdering_tiltak": N_("Nature and scope of the measures"),
    "vurdering_koordinering": N_("Expected need for coordination and the participants' kinds of position"),
    "koordinator_type": N_("Type"),
    "koordinator_person": N_("Coordinator"),
    "sekundaer": N_("Secondary coordinator"),
    "foresporsel": N_("Request to the coordinating unit"),
    "begrunnelse": N_("Justification"),
    "kriterier": N_("Criteria"),
    "individuell_plan": N_("Individual plan"),
    "gitt_av": N_("Given by"),
    "omfang": N_("Scope"),
    "form": N_("Form"),
    "utloper": N_("Expires"),
    "trukket": N_("Withdrawn"),
    "registrert_av": N_("Registered by"),
    "merknad": N_("Remark"),
    "person": N_("Person"),
    "rolle": N_("Role"),
    "stilling": N_("Position"),
    "av": N_("By"),
    "tekst": N_("Text"),
    "ansvarlig": N_("Responsible"),
    "start": N_("Start"),
    "evalueres": N_("Next evaluation"),
    "slutt": N_("Ended"),
    # TRANSLATORS: before a goal's number, as in "Goal 2".
    "mal_ref": N_("Goal"),
    # TRANSLATORS: before a measure's number, as in "Measure 2".
    "ett_tiltak": N_("Measure"),
    "mal_nr": N_("Goal"),
    "utviklingsomrade": N_("Area of development"),
    "evalueringer": N_("Evaluations"),
    "evaluering": N_("Evaluation"),
    "utfall": N_("Outcome"),
    "vurdering": N_("Assessment"),
    "barnets_syn": N_("The child's view"),
    "familiens_syn": N_("The family's view"),
    "neste_evaluering": N_("Next evaluation"),
    "ingen_evaluering": N_("Not evaluated yet."),
    "motetype": N_("Meeting type"),
    # TRANSLATORS: a column heading, short for number.
    "nummer": N_("No."),
    "tidspunkt": N_("Time"),
    "sted": N_("Place"),
    "varighet": N_("Duration"),
    # TRANSLATORS: after a number of minutes, as in "90 min".
    "minutter": N_("min"),
    "leder": N_("Meeting chair"),
    "referent": N_("Minute-taker"),
    "innkalt": N_("Invited"),
    "referat_skrevet": N_("Minutes written"),
    "referat_mangler": N_("Minutes not written"),
    "referat_status": N_("Minutes"),
    "tilstede": N_("Present"),
    "fravaerende": N_("Invited, but did not come"),
    "kopi_til": N_("Copy to"),
    "bygger_pa_samtykke": N_("The meeting rests on consent"),
    "samtykke_ikke_oppgitt": N_("Consent is not stated in the minutes."),
    "avlyst": N_("Cancelled"),
    "flyttet": N_("Moved"),
    "flyttet_fra": N_("Moved from"),
    "opprinnelig_tid": N_("Original time"),
    "utfort": N_("Done"),
    "punkt": N_("Item"),
    "oppgave": N_("Task"),
    "notat": N_("Note"),
    "frist": N_("Deadline"),
    "barnets_stemme_mangler": N_("Why the child's voice is not included"),
    "ikke_avtalt": N_("Not agreed."),
    "tid": N_("Time"),
    "type": N_("Type"),
    "med": N_("With"),
    # TRANSLATORS: lower case, inside brackets after the child's name: "Kari (main person)".
    "hovedperson_selv": N_("main person"),
    "skrevet_av": N_("Written by"),
    # --- values: status, kategori, forms -------------------------------------------------------
    "status.aktiv": N_("Active"),
    "status.avsluttet": N_("Ended"),
    "kategori.barn": N_("Child"),
    "kategori.ungdom": N_("Young person"),
    "kategori.gravid": N_("Pregnant"),
    "kategori.familie": N_("Family"),
    "form.skriftlig": N_("Written"),
    "form.muntlig": N_("Oral"),
    "koordinator.koordinator": N_("Coordinator"),
    "koordinator.barnekoordinator": N_("Child coordinator"),
    "ip.tilbudt": N_("Offered"),
    "ip.onsket": N_("Wanted"),
    "ip.avslatt": N_("Refused"),
    "ip.aktiv": N_("Active"),
    "konsultasjon.barnevern": N_("Child welfare services"),
    "konsultasjon.politi": N_("The police"),
    "familiekontakt.klarert": N_("Cleared"),
    "familiekontakt.vent": N_("Wait"),
    "familiekontakt.ukjent": N_("Not cleared"),
    "vold.reist": N_("Reported"),
    "vold.senket": N_("Set aside"),
    "scope.stafettlogg": N_("Stafettlogg"),
    "utfall.avslutte tiltaket": N_("End the measure"),
    "utfall.effekt men ikke i mål": N_("Effect, but the goal is not reached"),
    "utfall.andre tiltak": N_("Other measures"),
    "utfall.behov for andre tjenester": N_("Need for other services"),
    "motetype.samarbeidsmøte": N_("Cooperation meeting"),
    "motetype.evalueringsmøte": N_("Evaluation meeting"),
    "motetype.ansvarsgruppemøte": N_("Responsibility group meeting"),
    "grunn.trygt og godt": N_("The child is safe and well"),
    "grunn.koordinator overtar": N_("The coordinator takes over"),
    "grunn.samtykke trukket": N_("The consent is withdrawn"),
    "grunn.flyttet": N_("Moved away"),
    "grunn.annet": N_("Other"),
    "logg.opprettet": N_("Created"),
    "logg.kontakt": N_("Contact"),
    "logg.lysglimt": N_("Bright spots"),
    "logg.notat": N_("Note"),
    "logg.samtykke": N_("Consent"),
    "logg.oppnevning": N_("Appointment"),
    "logg.deltaker": N_("Participant"),
    "logg.tiltak": N_("Measure"),
    "logg.møte": N_("Meeting"),
    "logg.referat": N_("Minutes"),
    "logg.evaluering": N_("Evaluation"),
    "logg.overlevering": N_("Handover"),
    "logg.nivå": N_("Level"),
    "logg.koordinator": N_("Coordinator"),
    "logg.individuell_plan": N_("Individual plan"),
    "logg.konsultasjon": N_("Consultation"),
    "logg.avsluttet": N_("Ended"),
    "logg.retting": N_("Correction"),
    "logg.samtale": N_("Conversation with the child"),
    # --- people around the child who are not staff ---------------------------------------------
    "familie": N_("Family and network"),
    "eksterne": N_("Partners outside the municipality"),
    "instans": N_("Agency"),
    "virksomhet": N_("Organisation"),
    "instans.bup": N_("BUP"),
    "instans.fastlege": N_("GP"),
    "instans.nav": N_("NAV"),
    "instans.privat": N_("Private"),
    "instans.annet": N_("Other"),
    "logg.voldsmistanke": N_("Suspicion of violence"),
    # --- follow-up: evaluations, handover, koordinator and IP (record version 2) --------------------
    "logg.soknad": N_("Application"),
    "logg.klage": N_("Complaint"),
    "vurdering_ved_overlevering": N_("Assessed when the baton was handed over"),
    "leder_godkjent": N_("Approved by the leader"),
    "utsettelser": N_("Postponed evaluation"),
    "evaluert_i_mote": N_("Evaluated in"),
    "barnets_syn_mangler": N_("Why the child's view is not included"),
    "avslatt_av": N_("Refused by"),
    "fravaer": N_("Absence"),
    "dekket_av": N_("Covered by"),
    "ip_evalueringer": N_("Evaluations of the plan"),
    "logg.kopi": N_("Copy"),
    # --- copies sent and the journal note (stafett copy, stafett journal) -------------------------
    "kopier": N_("Copies sent"),
    "dokument": N_("Document"),
    "kanal": N_("Channel"),
    "mottakere": N_("To"),
    "utgave": N_("Edition"),
    "versjon": N_("Version"),
    "sendt_av": N_("Sent by"),
    "dokument.stafettlogg": N_("Stafettlogg"),
    "dokument.referat": N_("Minutes"),
    "dokument.journalnotat": N_("Journal note"),
    "dokument.individuell_plan": N_("Individual plan"),
    "kanal.epost": N_("Email"),
    "kanal.post": N_("Post"),
    "kanal.svarut": N_("SvarUt"),
    "kanal.digipost": N_("Digipost"),
    "kanal.overlevert": N_("Handed over"),
    # TRANSLATORS: whose edition of a document was sent: "the services'" (or "the guardians'") edition.
    "utgave.tjenester": N_("The services'"),
    "utgave.foresatte": N_("The guardians'"),
    "utgave.anonymisert": N_("Anonymised"),
    "tittel_journal": N_("Journal note from the stafettlogg – {tjeneste}"),
    "periode": N_("Period"),
    "journal_ingenting": N_("Nothing new in the period."),
    "journal_fra_tjenesten": N_("From the service"),
    "journal_fravaer": N_("Absence (the secondary coordinator covers)"),
    "tidligere_koordinatorer": N_("Previous coordinators"),
    "avslag": N_("Refusal"),
    "revisjoner": N_("To be revised"),
    "journal_avlyst": N_("Cancelled"),
}


@functools.lru_cache(maxsize=None)
def _table(lang: str) -> Mapping[str, str]:
    # Every render builds its table, some per service in a loop: the catalog is read once per målform.
    if lang not in LANGS:
        raise ValueError(f"no labels for målform {lang!r}")
    return {key: in_lang(lang, msgid) for key, msgid in LABELS.items()}


def labels_for(lang: str, overrides: Mapping[str, Mapping[str, str]] | None = None) -> dict[str, str]:
    """The label table for one målform, with a profile's overrides on top."""
    table = dict(_table(lang))
    for key, by_lang in (overrides or {}).items():
        if lang in by_lang:
            table[key] = by_lang[lang]
    return table


def value_label(table: Mapping[str, str], group: str, value: str) -> str:
    """The label for an enumerated value (e.g. utfall), or the value itself if none is known."""
    return table.get(f"{group}.{value}", value)
