"""The case record (saker/<ID>.yaml): one child's, young person's, pregnant woman's or family's follow-up.

Keys are bokmål, ASCII, snake_case. Staff are referenced by id (personer.yaml); the hovedperson and
foresatte live inside this file only.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, Optional

from pydantic import Field, model_validator

from stafett.model.common import CaseId, ItemId, PersonId, Record, ShortText, Text
from stafett.model.settings import ServiceId

Kategori = Literal["barn", "ungdom", "gravid", "familie"]
Status = Literal["aktiv", "avsluttet"]
Utfall = Literal["avslutte tiltaket", "effekt men ikke i mål", "andre tiltak", "behov for andre tjenester"]
MoteType = Literal["samarbeidsmøte", "evalueringsmøte", "ansvarsgruppemøte"]
LoggType = Literal[
    "opprettet", "kontakt", "lysglimt", "notat", "samtykke", "oppnevning", "deltaker", "tiltak",
    "møte", "referat", "evaluering", "overlevering", "nivå", "koordinator", "individuell_plan",
    "konsultasjon", "avsluttet", "retting", "voldsmistanke",
]
Avslutningsgrunn = Literal["trygt og godt", "koordinator overtar", "samtykke trukket", "flyttet", "annet"]

# Lists whose items carry an id unique within the case.
ID_LISTS = ("foresatte", "samtykker", "mal", "utviklingsomrader", "kartlegginger", "tiltak", "moter", "konsultasjoner")

# The stafettlogg itself is a scope of consent, next to the services (Vestre Toten: "Samtykke til stafettlogg").
STAFETTLOGG_SCOPE = "stafettlogg"


class Hovedperson(Record):
    navn: ShortText = Field(description="Hovedpersonens navn (barnet, ungdommen, den gravide eller familien).")
    kategori: Kategori = Field(description="barn, ungdom, gravid eller familie.")
    fodselsdato: Optional[dt.date] = Field(None, description="Fødselsdato (ÅÅÅÅ-MM-DD).")
    termin: Optional[dt.date] = Field(None, description="Termindato når barnet ikke er født ennå (ÅÅÅÅ-MM-DD).")
    fodselsnummer: Optional[str] = Field(
        None, pattern=r"^[0-9]{11}$", description="Fødselsnummer (11 siffer). Skjules i dokumenter med mindre --show-fnr."
    )

    @model_validator(mode="after")
    def _born_or_expected(self) -> "Hovedperson":
        if self.fodselsdato is None and self.termin is None:
            raise ValueError("hovedperson needs fodselsdato or termin")
        return self


class Foresatt(Record):
    id: ItemId
    navn: ShortText = Field(description="Navn på den foresatte.")
    relasjon: ShortText = Field(description="Relasjon til hovedpersonen, for eksempel mor, far, verge.")
    foreldreansvar: bool = Field(True, description="Om personen har foreldreansvar (kreves for å samtykke for barnet).")
    telefon: Optional[ShortText] = Field(None, description="Telefonnummer.")
    epost: Optional[ShortText] = Field(None, description="E-post.")


class Bekymring(Record):
    dato: dt.date = Field(description="Dato undringen/bekymringen oppsto.")
    meldt_av: PersonId = Field(description="Den ansatte som fikk undringen (eier den til saken er avklart med leder).")
    beskrivelse: Text = Field(description="Hva er sett eller hørt, og hvor lenge? (Markdown er tillatt.)")
    tjeneste: Optional[ServiceId] = Field(None, description="Tjenesten undringen oppsto i.")
    mistanke_om_vold: bool = Field(
        False, description="Eldre form (versjon 1): mistanke om vold eller overgrep meldt sammen med bekymringen. "
                           "Nye saker bruker voldsmistanke (historikken)."
    )


class Voldshendelse(Record):
    """One step in the history of a suspicion of violence or abuse. Never in a family copy."""

    tid: dt.datetime = Field(description="Når det ble registrert.")
    handling: Literal["reist", "senket"] = Field(description="reist: mistanken er meldt; senket: den er lagt bort.")
    av: PersonId = Field(description="Den som registrerte det.")
    besluttet_av: Optional[PersonId] = Field(None, description="Den som besluttet å legge mistanken bort (påkrevd ved senket).")
    grunn: Text = Field(description="Hva mistanken bygger på, eller hvorfor den legges bort.")

    @model_validator(mode="after")
    def _lowered_by_someone(self) -> "Voldshendelse":
        if self.handling == "senket" and self.besluttet_av is None:
            raise ValueError("a lowered suspicion needs besluttet_av (who decided)")
        return self


Familiekontakt = Literal["klarert", "vent"]


class Konsultasjon(Record):
    """A consultation with barnevern or politi about suspected violence or abuse. Never in a family copy."""

    id: ItemId
    tid: dt.datetime = Field(description="Når konsultasjonen ble registrert.")
    dato: dt.date = Field(description="Dato barnevern eller politi ble konsultert.")
    med: Literal["barnevern", "politi"] = Field(description="Hvem som ble konsultert.")
    konsultert: ShortText = Field(description="Hvem hos barnevernet eller politiet (navn, rolle, eller 'anonym drøfting').")
    rad: Text = Field(description="Rådet som ble gitt.")
    familiekontakt: Optional[Familiekontakt] = Field(
        None, description="klarert: rådet åpner for kontakt med familien; vent (eller tomt): familien kontaktes ikke ennå."
    )
    registrert_av: PersonId = Field(description="Den som registrerte konsultasjonen.")


class EldreKonsultasjon(Record):
    """Version 1's single consultation. Read, never written; it does not clear family contact."""

    dato: dt.date = Field(description="Dato barnevern eller politi ble konsultert.")
    med: Literal["barnevern", "politi"] = Field(description="Hvem som ble konsultert.")
    av: PersonId = Field(description="Den som konsulterte.")
    rad: Optional[Text] = Field(None, description="Rådet som ble gitt.")


class Stafettholder(Record):
    person: PersonId = Field(description="Den som holder stafettpinnen nå.")
    fra: dt.date = Field(description="Dato personen overtok.")
    oppnevnt_av: PersonId = Field(description="Lederen som oppnevnte (eller den som overleverte).")
    familiens_onske: Optional[Text] = Field(None, description="Barnets/ungdommens/familiens ønske om stafettholder.")


class TidligereStafettholder(Record):
    person: PersonId
    fra: dt.date
    til: dt.date
    grunn: Optional[Text] = Field(None, description="Hvorfor stafettpinnen gikk videre.")


class Vurdering(Record):
    """The three things the seeds weigh when the baton moves."""

    onske: Text = Field(description="Barnets/ungdommens/familiens ønsker.")
    tiltak: Text = Field(description="Tiltakenes karakter og omfang.")
    koordineringsbehov: Text = Field(description="Forventet koordineringsbehov og deltakernes stillingstype.")


class Overlevering(Record):
    til: PersonId = Field(description="Den som blir tilbudt stafettpinnen.")
    fra: PersonId = Field(description="Den som tilbyr den (holderen).")
    tilbudt: dt.date = Field(description="Dato tilbudet ble gitt.")
    grunn: Text = Field(description="Hvorfor stafettpinnen skal videre.")
    vurdering: Vurdering


class Koordinator(Record):
    type: Literal["koordinator", "barnekoordinator"]
    person: PersonId = Field(description="Koordinatoren.")
    sekundaer: Optional[PersonId] = Field(None, description="Sekundær-koordinator (som regel nærmeste leder).")
    oppnevnt_av: PersonId = Field(description="Den i koordinerende enhet som oppnevnte.")
    fra: dt.date


class KoordinatorForesporsel(Record):
    """A request to koordinerende enhet; the criteria are the law's (hol. § 7-2 and § 7-2 a)."""

    type: Literal["koordinator", "barnekoordinator"]
    dato: dt.date
    av: PersonId
    begrunnelse: Text
    kriterier: list[ShortText] = Field(description="Kriteriene som er vurdert som oppfylt.")


class IndividuellPlan(Record):
    status: Literal["tilbudt", "onsket", "avslatt", "aktiv"]
    dato: dt.date = Field(description="Dato for siste endring av status.")
    merknad: Optional[Text] = None


class Trukket(Record):
    dato: dt.date
    registrert_av: PersonId
    merknad: Optional[Text] = None


class Samtykke(Record):
    id: ItemId
    gitt_av: ItemId = Field(description="Id til foresatt i saken, eller 'hovedperson' når ungdommen selv samtykker.")
    dato: dt.date
    omfang: list[ServiceId] = Field(
        min_length=1, description="Hva samtykket gjelder: 'stafettlogg' og/eller tjeneste-id-er (samtykke gis til tjenester)."
    )
    form: Literal["skriftlig", "muntlig"]
    registrert_av: PersonId
    utloper: Optional[dt.date] = Field(None, description="Dato samtykket utløper, om det har en.")
    trukket: Optional[Trukket] = Field(None, description="Fylles ut når samtykket trekkes tilbake.")

    def active_on(self, day: dt.date) -> bool:
        if self.dato > day:
            return False
        if self.trukket is not None and self.trukket.dato <= day:
            return False
        return self.utloper is None or self.utloper >= day


class Deltaker(Record):
    person: PersonId
    tjeneste: ServiceId
    rolle: Optional[ShortText] = Field(None, description="Rollen i samarbeidet, for eksempel 'PPT-rådgiver'.")
    fra: dt.date
    til: Optional[dt.date] = None


class Mal(Record):
    id: ItemId
    tekst: Text = Field(description="Hovedpersonens mål, gjerne med egne ord.")


class Utviklingsomrade(Record):
    id: ItemId
    tekst: Text


class Kartlegging(Record):
    id: ItemId
    dato: dt.date
    av: PersonId
    tekst: Text
    skjermet: bool = Field(False, description="Sann: utelates i kopien til foresatte.")


class Evaluering(Record):
    dato: dt.date
    av: PersonId
    utfall: Utfall
    vurdering: Text
    barnets_syn: Optional[Text] = None
    familiens_syn: Optional[Text] = None
    neste_evaluering: Optional[dt.date] = None


class Tiltak(Record):
    id: ItemId
    beskrivelse: Text
    mal: list[ItemId] = Field(default_factory=list, description="Mål (id) tiltaket skal bidra til.")
    utviklingsomrade: Optional[ItemId] = None
    ansvarlig: PersonId
    start: dt.date
    evalueres: Optional[dt.date] = Field(None, description="Neste evalueringsdato. Påkrevd for aktive tiltak.")
    status: Literal["aktiv", "avsluttet"] = "aktiv"
    slutt: Optional[dt.date] = None
    evalueringer: list[Evaluering] = Field(default_factory=list)


class Notat(Record):
    punkt: ShortText = Field(description="Punkt på dagsorden.")
    notat: Text


class Oppgave(Record):
    tekst: Text
    ansvarlig: PersonId
    frist: dt.date


class Referat(Record):
    skrevet: dt.date
    skrevet_av: PersonId
    tilstede: list[str] = Field(description="Id-er til ansatte, foresatte eller 'hovedperson' som var til stede.")
    fravaerende: list[str] = Field(default_factory=list, description="Innkalt, men ikke møtt.")
    notater: list[Notat] = Field(default_factory=list)
    beslutninger: list[Text] = Field(default_factory=list)
    oppgaver: list[Oppgave] = Field(default_factory=list)
    barnets_stemme: Optional[Text] = Field(None, description="Hva barnet/ungdommen selv mener.")
    barnets_stemme_mangler: Optional[Text] = Field(None, description="Hvorfor barnets stemme ikke er med.")
    neste_mote: Optional[dt.datetime] = None
    kopi_til: list[str] = Field(default_factory=list, description="Hvem som fikk kopi (id-er).")
    samtykke: Optional[ItemId] = Field(None, description="Samtykket møtet bygger på.")

    @model_validator(mode="after")
    def _voice_or_reason(self) -> "Referat":
        if not self.barnets_stemme and not self.barnets_stemme_mangler:
            raise ValueError("referat needs barnets_stemme or barnets_stemme_mangler (why the child's voice is missing)")
        return self


class Mote(Record):
    id: ItemId
    type: MoteType
    nummer: Optional[int] = Field(None, ge=1, description="Møtenummer i saken.")
    tidspunkt: dt.datetime
    varighet_min: int = Field(60, ge=5, le=600)
    sted: ShortText
    leder: PersonId
    referent: PersonId
    innkalt: list[str] = Field(default_factory=list, description="Id-er til ansatte, foresatte eller 'hovedperson'.")
    dagsorden: list[ShortText] = Field(default_factory=list)
    referat: Optional[Referat] = None


class Logg(Record):
    tid: dt.datetime
    av: PersonId
    type: LoggType
    tekst: Text
    med: list[str] = Field(default_factory=list, description="Ved kontakt: barn, foresatte eller samarbeidspartner.")
    skjermet: bool = False
    registrert_av: Optional[PersonId] = Field(
        None, description="Når noen registrerer på vegne av en annen: den som registrerte (av er den det gjelder)."
    )

    @property
    def writer(self) -> str:
        """Who typed the entry (and so authored the commit that added it)."""
        return self.registrert_av or self.av


class Avsluttet(Record):
    dato: dt.date
    grunn: Avslutningsgrunn
    merknad: Optional[Text] = None


class Case(Record):
    id: CaseId
    opprettet: dt.date
    status: Status = "aktiv"
    niva: int = Field(0, ge=0, le=3, description="BTI-nivå 0-3.")
    hovedperson: Hovedperson
    foresatte: list[Foresatt] = Field(default_factory=list)
    bekymring: Bekymring
    eier: PersonId = Field(description="Eier av undringen til en stafettholder er oppnevnt.")
    konsultasjon: Optional[EldreKonsultasjon] = Field(None, description="Eldre form (versjon 1); nye saker bruker konsultasjoner.")
    voldsmistanke: list[Voldshendelse] = Field(
        default_factory=list, description="Historikken for mistanke om vold eller overgrep (aldri i kopien til foresatte)."
    )
    konsultasjoner: list[Konsultasjon] = Field(
        default_factory=list, description="Konsultasjoner med barnevern eller politi (aldri i kopien til foresatte)."
    )
    stafettholder: Optional[Stafettholder] = None
    tidligere_stafettholdere: list[TidligereStafettholder] = Field(default_factory=list)
    overlevering: Optional[Overlevering] = Field(None, description="Et tilbud om stafettpinnen som venter på svar.")
    koordinator_foresporsel: Optional[KoordinatorForesporsel] = None
    koordinator: Optional[Koordinator] = None
    individuell_plan: Optional[IndividuellPlan] = None
    samtykker: list[Samtykke] = Field(default_factory=list)
    deltakere: list[Deltaker] = Field(default_factory=list)
    mal: list[Mal] = Field(default_factory=list)
    utviklingsomrader: list[Utviklingsomrade] = Field(default_factory=list)
    kartlegginger: list[Kartlegging] = Field(default_factory=list)
    tiltak: list[Tiltak] = Field(default_factory=list)
    moter: list[Mote] = Field(default_factory=list)
    logg: list[Logg] = Field(default_factory=list)
    avsluttet: Optional[Avsluttet] = None

    def baton_holder(self) -> str:
        """Who holds the baton now: the stafettholder once appointed, the eier before."""
        return self.stafettholder.person if self.stafettholder else self.eier
