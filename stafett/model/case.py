"""The case record (saker/<ID>.yaml): one child's, young person's, pregnant woman's or family's follow-up.

Keys are bokmål, ASCII, snake_case. Staff are referenced by id (personer.yaml); the hovedperson and
foresatte live inside this file only.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, Optional

from pydantic import Field, model_validator

from stafett.findings import Invalid
from stafett.i18n import N_

from stafett.model.common import CaseId, ItemId, OsloDateTime, PersonId, Record, ShortText, Text
from stafett.model.settings import ServiceId

Kategori = Literal["barn", "ungdom", "gravid", "familie"]
Status = Literal["aktiv", "avsluttet"]
Utfall = Literal["avslutte tiltaket", "effekt men ikke i mål", "andre tiltak", "behov for andre tjenester"]
MoteType = Literal["samarbeidsmøte", "evalueringsmøte", "ansvarsgruppemøte"]
LoggType = Literal[
    "opprettet", "kontakt", "lysglimt", "notat", "samtykke", "oppnevning", "deltaker", "tiltak",
    "møte", "referat", "evaluering", "overlevering", "nivå", "koordinator", "individuell_plan",
    "konsultasjon", "avsluttet", "retting", "voldsmistanke", "samtale", "soknad", "klage", "kopi",
]
Avslutningsgrunn = Literal["trygt og godt", "koordinator overtar", "samtykke trukket", "flyttet", "annet"]
Instans = Literal["bup", "fastlege", "nav", "privat", "annet"]

# The record's layout version. Version 1 files carry no `versjon` key; `stafett migrate` writes 2.
RECORD_VERSION = 2

# Lists whose items carry an id unique within the case.
ID_LISTS = ("foresatte", "familie", "eksterne", "samtykker", "mal", "utviklingsomrader", "kartlegginger", "tiltak",
            "moter", "konsultasjoner", "kopier")

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
            raise Invalid(N_("hovedperson needs fodselsdato or termin"))
        return self


class Foresatt(Record):
    id: ItemId
    navn: ShortText = Field(description="Navn på den foresatte.")
    relasjon: ShortText = Field(description="Relasjon til hovedpersonen, for eksempel mor, far, verge.")
    foreldreansvar: bool = Field(True, description="Om personen har foreldreansvar (kreves for å samtykke for barnet).")
    telefon: Optional[ShortText] = Field(None, description="Telefonnummer.")
    epost: Optional[ShortText] = Field(None, description="E-post.")


class Familiemedlem(Record):
    """Family and network who are not foresatte: siblings, grandparents, others the family wants along.

    They can be invited to meetings and receive copies the family agrees to, but have no parental rights:
    they never consent for the child.
    """

    id: ItemId
    navn: ShortText = Field(description="Navn.")
    relasjon: ShortText = Field(description="Relasjon til hovedpersonen, for eksempel søster, bestemor, nettverk.")
    telefon: Optional[ShortText] = None
    epost: Optional[ShortText] = None


class Ekstern(Record):
    """A partner outside the kommune's services (BUP, fastlege, NAV, a private therapist): not staff."""

    id: ItemId
    navn: ShortText = Field(description="Navn på kontaktpersonen.")
    instans: Instans = Field(description="bup, fastlege, nav, privat eller annet.")
    virksomhet: Optional[ShortText] = Field(None, description="Virksomheten, for eksempel BUP Fjordvik.")
    rolle: Optional[ShortText] = Field(None, description="Rollen i samarbeidet.")
    telefon: Optional[ShortText] = None
    epost: Optional[ShortText] = None
    fra: dt.date = Field(description="Dato partneren kom med i samarbeidet.")
    til: Optional[dt.date] = None


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

    tid: OsloDateTime = Field(description="Når det ble registrert.")
    handling: Literal["reist", "senket"] = Field(description="reist: mistanken er meldt; senket: den er lagt bort.")
    av: PersonId = Field(description="Den som registrerte det.")
    besluttet_av: Optional[PersonId] = Field(None, description="Den som besluttet å legge mistanken bort (påkrevd ved senket).")
    grunn: Text = Field(description="Hva mistanken bygger på, eller hvorfor den legges bort.")

    @model_validator(mode="after")
    def _lowered_by_someone(self) -> "Voldshendelse":
        if self.handling == "senket" and self.besluttet_av is None:
            raise Invalid(N_("a lowered suspicion needs besluttet_av (who decided)"))
        return self


Familiekontakt = Literal["klarert", "vent"]


class Konsultasjon(Record):
    """A consultation with barnevern or politi about suspected violence or abuse. Never in a family copy."""

    id: ItemId
    tid: OsloDateTime = Field(description="Når konsultasjonen ble registrert.")
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


class Vurdering(Record):
    """The three things the seeds weigh when the baton moves."""

    onske: Text = Field(description="Barnets/ungdommens/familiens ønsker.")
    tiltak: Text = Field(description="Tiltakenes karakter og omfang.")
    koordineringsbehov: Text = Field(description="Forventet koordineringsbehov og deltakernes stillingstype.")


class Stafettholder(Record):
    person: PersonId = Field(description="Den som holder stafettpinnen nå.")
    fra: dt.date = Field(description="Dato personen overtok.")
    oppnevnt_av: PersonId = Field(description="Lederen som oppnevnte (eller den som overleverte).")
    familiens_onske: Optional[Text] = Field(None, description="Barnets/ungdommens/familiens ønske om stafettholder.")
    vurdering: Optional[Vurdering] = Field(None, description="Vurderingen da stafettpinnen ble overlevert (versjon 2).")
    leder_godkjent: Optional[PersonId] = Field(
        None, description="Lederen i mottakende tjeneste som godkjente overtakelsen (når pinnen går til en annen tjeneste)."
    )


class TidligereStafettholder(Record):
    person: PersonId
    fra: dt.date
    til: dt.date
    grunn: Optional[Text] = Field(None, description="Hvorfor stafettpinnen gikk videre.")
    vurdering: Optional[Vurdering] = Field(None, description="Vurderingen da personen overtok (versjon 2).")


class Overlevering(Record):
    til: PersonId = Field(description="Den som blir tilbudt stafettpinnen.")
    fra: PersonId = Field(description="Den som tilbyr den (holderen).")
    tilbudt: dt.date = Field(description="Dato tilbudet ble gitt.")
    grunn: Text = Field(description="Hvorfor stafettpinnen skal videre.")
    vurdering: Vurdering
    leder_godkjent: Optional[PersonId] = Field(
        None, description="Lederen i mottakende tjeneste som har godkjent overtakelsen (versjon 2)."
    )


class Fravaer(Record):
    """The koordinator is away; the sekundær-koordinator covers."""

    fra: dt.date
    til: dt.date
    dekket_av: PersonId = Field(description="Den som dekker fraværet (sekundær-koordinatoren).")
    registrert_av: PersonId


class Koordinator(Record):
    type: Literal["koordinator", "barnekoordinator"]
    person: PersonId = Field(description="Koordinatoren.")
    sekundaer: Optional[PersonId] = Field(None, description="Sekundær-koordinator (som regel nærmeste leder).")
    oppnevnt_av: PersonId = Field(description="Den i koordinerende enhet som oppnevnte.")
    fra: dt.date
    familiens_onske: Optional[Text] = Field(None, description="Familiens ønske om hvem som blir koordinator.")
    fravaer: list[Fravaer] = Field(default_factory=list, description="Perioder sekundær-koordinatoren dekker.")


class TidligereKoordinator(Record):
    type: Literal["koordinator", "barnekoordinator"]
    person: PersonId
    fra: dt.date
    til: dt.date
    grunn: Text = Field(description="Hvorfor koordinatoren gikk av.")


class Avslag(Record):
    dato: dt.date
    av: PersonId = Field(description="Den i koordinerende enhet som avslo.")
    grunn: Text


class KoordinatorForesporsel(Record):
    """A request to koordinerende enhet; the criteria are the law's (hol. § 7-2 and § 7-2 a)."""

    type: Literal["koordinator", "barnekoordinator"]
    dato: dt.date
    av: PersonId
    begrunnelse: Text
    kriterier: list[ShortText] = Field(description="Kriteriene som er vurdert som oppfylt.")
    familiens_onske: Optional[Text] = Field(None, description="Familiens ønske om hvem som blir koordinator.")
    avslag: Optional[Avslag] = Field(None, description="Koordinerende enhets avslag, med grunn (versjon 2).")


class IPEvaluering(Record):
    dato: dt.date
    av: PersonId
    vurdering: Text
    barnets_syn: Optional[Text] = None
    barnets_syn_mangler: Optional[Text] = Field(None, description="Hvorfor barnets syn ikke er med (versjon 2).")
    familiens_syn: Optional[Text] = None


class IndividuellPlan(Record):
    status: Literal["tilbudt", "onsket", "avslatt", "aktiv"]
    dato: dt.date = Field(description="Dato for siste endring av status.")
    merknad: Optional[Text] = None
    periode_fra: Optional[dt.date] = Field(None, description="Planen gjelder fra (versjon 2).")
    periode_til: Optional[dt.date] = Field(None, description="Planen gjelder til.")
    revisjoner: list[dt.date] = Field(default_factory=list, description="Datoer planen skal revideres.")
    evalueringer: list[IPEvaluering] = Field(default_factory=list, description="Evalueringer av planen.")


class Trukket(Record):
    dato: dt.date
    registrert_av: PersonId
    merknad: Optional[Text] = None
    trukket_av: Optional[ItemId] = Field(None, description="Hvem som trakk samtykket (foresatt-id eller 'hovedperson').")


class Signatur(Record):
    """One more signatory of a consent: the other parent, or the young person beside the parents."""

    av: ItemId = Field(description="Id til foresatt med foreldreansvar, eller 'hovedperson'.")
    dato: dt.date
    form: Literal["skriftlig", "muntlig"]
    registrert_av: PersonId


class Forbehold(Record):
    """What the family does not want shared, and with whom."""

    tekst: Text = Field(description="Hva som ikke skal deles.")
    ikke_med: list[ServiceId] = Field(default_factory=list, description="Tjenester det ikke skal deles med (tomt: ingen).")


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
    medsignaturer: list[Signatur] = Field(
        default_factory=list, description="Flere som har samtykket: den andre forelderen, eller ungdommen selv."
    )
    forbehold: list[Forbehold] = Field(default_factory=list, description="Begrensninger i hva som kan deles.")

    def signatories(self) -> list[str]:
        return [self.gitt_av, *(s.av for s in self.medsignaturer)]

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
    barnets_syn_mangler: Optional[Text] = Field(None, description="Hvorfor barnets syn ikke er med (versjon 2).")
    familiens_syn: Optional[Text] = None
    neste_evaluering: Optional[dt.date] = None
    mote: Optional[ItemId] = Field(None, description="Møtet evalueringen ble gjort i.")


class Utsettelse(Record):
    """An evaluation moved to a later date, with the reason."""

    fra: dt.date = Field(description="Evalueringsdatoen som ble utsatt.")
    til: dt.date = Field(description="Ny evalueringsdato.")
    grunn: Text
    av: PersonId


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
    utsettelser: list[Utsettelse] = Field(default_factory=list, description="Utsatte evalueringer.")


class Notat(Record):
    punkt: ShortText = Field(description="Punkt på dagsorden.")
    notat: Text


class Utfort(Record):
    dato: dt.date
    av: PersonId = Field(description="Den som krysset av oppgaven.")
    merknad: Optional[Text] = None


class Oppgave(Record):
    id: Optional[ItemId] = Field(None, description="Oppgavens id (versjon 2), for å krysse den av.")
    tekst: Text
    ansvarlig: PersonId
    frist: dt.date
    utfort: Optional[Utfort] = Field(None, description="Når og av hvem oppgaven ble gjort.")


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
    neste_mote: Optional[OsloDateTime] = None
    kopi_til: list[str] = Field(default_factory=list, description="Hvem som fikk kopi (id-er).")
    samtykke: Optional[ItemId] = Field(None, description="Eldre form (versjon 1): samtykket møtet bygger på.")
    samtykker: list[ItemId] = Field(default_factory=list, description="Samtykkene møtet bygger på (versjon 2).")

    def consents(self) -> list[str]:
        return [*([self.samtykke] if self.samtykke else []), *self.samtykker]

    @model_validator(mode="after")
    def _voice_or_reason(self) -> "Referat":
        if not self.barnets_stemme and not self.barnets_stemme_mangler:
            raise Invalid(N_("referat needs barnets_stemme or barnets_stemme_mangler (why the child's voice is missing)"))
        return self


class MoteUtsatt(Record):
    tid: OsloDateTime = Field(description="Når utsettelsen ble registrert.")
    fra: OsloDateTime = Field(description="Tidspunktet møtet var satt til.")
    til: OsloDateTime = Field(description="Nytt tidspunkt.")
    grunn: Text
    av: PersonId


class Avlysning(Record):
    tid: OsloDateTime = Field(description="Når avlysningen ble registrert.")
    grunn: Text
    av: PersonId


class Mote(Record):
    id: ItemId
    type: MoteType
    nummer: Optional[int] = Field(None, ge=1, description="Møtenummer i saken.")
    tidspunkt: OsloDateTime
    varighet_min: int = Field(60, ge=5, le=600)
    sted: ShortText
    leder: PersonId
    referent: PersonId
    innkalt: list[str] = Field(default_factory=list, description="Id-er til ansatte, foresatte eller 'hovedperson'.")
    dagsorden: list[ShortText] = Field(default_factory=list)
    referat: Optional[Referat] = None
    utsettelser: list[MoteUtsatt] = Field(default_factory=list, description="Tidligere tidspunkt møtet er flyttet fra.")
    avlyst: Optional[Avlysning] = Field(None, description="Et avlyst møte trenger ikke referat.")

    @property
    def sequence(self) -> int:
        """The .ics SEQUENCE: every postponement and the cancellation supersede the invitation before."""
        return len(self.utsettelser) + (1 if self.avlyst else 0)


class Logg(Record):
    tid: OsloDateTime
    av: PersonId
    type: LoggType
    tekst: Text
    med: list[str] = Field(default_factory=list, description="Ved kontakt: barn, foresatte eller samarbeidspartner.")
    skjermet: bool = False
    registrert_av: Optional[PersonId] = Field(
        None, description="Når noen registrerer på vegne av en annen: den som registrerte (av er den det gjelder)."
    )
    gjelder: list[ItemId] = Field(
        default_factory=list, description="Id-er til det oppføringen gjelder: tiltak, møte, samtykke (versjon 2)."
    )

    @property
    def writer(self) -> str:
        """Who typed the entry (and so authored the commit that added it)."""
        return self.registrert_av or self.av


class Kopi(Record):
    """A copy of a document sent or handed to someone: the witness of what left the record, and to whom."""

    id: ItemId
    dato: dt.date
    til: list[str] = Field(min_length=1, description="Mottakere: id-er til ansatte, foresatte, familie, eksterne eller 'hovedperson'.")
    dokument: Literal["stafettlogg", "referat", "journalnotat", "individuell_plan"]
    mote: Optional[ItemId] = Field(None, description="Møtet, når dokumentet er et referat.")
    kopi_for: Literal["tjenester", "foresatte", "anonymisert"] = Field("tjenester", description="Hvilken utgave som ble sendt.")
    format: Literal["md", "html", "pdf", "tekst"]
    commit: Optional[str] = Field(None, pattern=r"^[0-9a-f]{7,64}$", description="git-commit dokumentet ble laget fra.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 av filen som ble sendt.")
    kanal: Literal["epost", "post", "svarut", "digipost", "overlevert"]
    sendt_av: PersonId


class Journaluttrekk(Record):
    """The last journal-note extract made for a service, so the next one starts where it ended."""

    tjeneste: ServiceId
    til_og_med: dt.date
    laget: OsloDateTime
    av: PersonId


class Avsluttet(Record):
    dato: dt.date
    grunn: Avslutningsgrunn
    merknad: Optional[Text] = None


class Case(Record):
    versjon: Literal[1, 2] = Field(1, description="Postens versjon. Mangler den, er posten versjon 1 (stafett migrate).")
    id: CaseId
    opprettet: dt.date
    malform: Optional[Literal["nb", "nn"]] = Field(
        None, description="Målformen saken skrives i (nb eller nn); tom: tjenestens der bekymringen oppsto, ellers kommunens.")
    status: Status = "aktiv"
    niva: int = Field(0, ge=0, le=3, description="BTI-nivå 0-3.")
    hovedperson: Hovedperson
    foresatte: list[Foresatt] = Field(default_factory=list)
    familie: list[Familiemedlem] = Field(default_factory=list, description="Familie og nettverk som ikke er foresatte.")
    eksterne: list[Ekstern] = Field(default_factory=list, description="Samarbeidspartnere utenfor kommunen (BUP, fastlege, NAV, privat).")
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
    tidligere_koordinatorer: list[TidligereKoordinator] = Field(default_factory=list)
    individuell_plan: Optional[IndividuellPlan] = None
    samtykker: list[Samtykke] = Field(default_factory=list)
    deltakere: list[Deltaker] = Field(default_factory=list)
    mal: list[Mal] = Field(default_factory=list)
    utviklingsomrader: list[Utviklingsomrade] = Field(default_factory=list)
    kartlegginger: list[Kartlegging] = Field(default_factory=list)
    tiltak: list[Tiltak] = Field(default_factory=list)
    moter: list[Mote] = Field(default_factory=list)
    logg: list[Logg] = Field(default_factory=list)
    kopier: list[Kopi] = Field(default_factory=list, description="Kopier av dokumenter som er sendt, til hvem og hvordan.")
    journaluttrekk: list[Journaluttrekk] = Field(default_factory=list, description="Siste journalnotat per tjeneste.")
    avsluttet: Optional[Avsluttet] = None

    def malform_in(self, settings) -> str:
        """The målform the case is written in: its own, else that of the service where the worry arose,
        else the kommune's (a nynorsk school in a bokmål kommune writes nynorsk)."""
        return self.malform or settings.malform_of(self.bekymring.tjeneste)

    def baton_holder(self) -> str:
        """Who holds the baton now: the stafettholder once appointed, the eier before."""
        return self.stafettholder.person if self.stafettholder else self.eier
