"""stafett.yaml: the kommune, its målform, its services and the settings the rules read."""

from __future__ import annotations

from typing import Optional, Literal

from pydantic import Field, StringConstraints, model_validator
from typing_extensions import Annotated

from stafett.findings import Invalid
from stafett.i18n import N_
from stafett.model.common import Record, ShortText

Malform = Literal["nb", "nn"]
Fagsystem = Literal["standard", "vigilo", "profil", "infodoc", "hk-oppvekst", "familia", "compilo"]
ServiceId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$"),
    Field(description="Id til en tjeneste i stafett.yaml (for eksempel barnehage, skole, ppt)."),
]


class Tjeneste(Record):
    id: ServiceId
    navn: ShortText = Field(description="Tjenestens navn slik det vises i dokumenter.")
    fagsystem: Fagsystem = Field(
        "standard", description="Fagsystemet tjenesten dokumenterer i; styrer standard layout for render."
    )
    koordinerende_enhet: bool = Field(
        False, description="Sann for tjenesten som er kommunens koordinerende enhet (tildeler koordinator)."
    )
    malform: Optional[Malform] = Field(
        None, description="Målformen tjenesten skriver (en nynorsk skole i en bokmålskommune); tom: kommunens."
    )


class Innstillinger(Record):
    """Where kommuner differ, the rule reads a setting here instead of a constant in code."""

    samtykkealder: int = Field(
        16, ge=12, le=18, description="Alder da ungdommen selv gir samtykke (16 er vanlig, noen kommuner bruker 15)."
    )
    niva0_frist_dager: int = Field(
        14, ge=1, le=90, description="Dager en undring/bekymring kan stå på nivå 0 før den må være avklart."
    )
    krev_sekundaer_koordinator: bool = Field(
        True, description="Om koordinator må ha en sekundær-koordinator (nærmeste leder), slik Lyngdal gjør."
    )
    oppbevaring_ar: int = Field(
        10, ge=0, le=100, description="År en avsluttet sak oppbevares før den skal slettes eller arkiveres."
    )
    varsel_evaluering_dager: int = Field(
        14, ge=0, le=180, description="Dager før evalueringsdato da status begynner å minne om evalueringen."
    )
    varsel_18_ar_dager: int = Field(
        180, ge=0, le=730, description="Dager før 18-årsdagen da en barnekoordinator-sak varsles."
    )
    varsel_samtykke_dager: int = Field(
        30, ge=0, le=365, description="Dager før et samtykke utløper da status varsler."
    )
    signerte_commits: bool = Field(
        False, description="Krev SSH-signerte commits med nøkler fra personer.yaml (validate --since sjekker dem)."
    )
    samtale_uker: int = Field(
        6, ge=1, le=52, description="Uker uten logget samtale med barnet (nivå 1-3) før status minner om det."
    )
    ip_tilbud_dager: int = Field(
        30, ge=1, le=365, description="Dager etter at koordinator er oppnevnt da individuell plan skal være tilbudt."
    )
    skjul_for_foresatte: list[str] = Field(
        default_factory=list,
        description="Seksjoner som utelates i kopien til foresatte (for eksempel kartlegginger, logg).",
    )


class Gjenoppretting(Record):
    id: ServiceId = Field(description="Hvem som holder nøkkelen, for eksempel arkiv eller personvernombud.")
    mottaker: Annotated[str, StringConstraints(pattern=r"^(age1[02-9ac-hj-np-z]{58}|ssh-ed25519 [A-Za-z0-9+/]+={0,3})$")] = Field(
        description="Offentlig age-nøkkel (age1...) eller ssh-ed25519-nøkkel.")


class Kryptering(Record):
    pa: bool = Field(False, description="Krypter personopplysningene i hver sak til dem samtykket og rollene gir tilgang.")
    gjenoppretting: list[Gjenoppretting] = Field(
        default_factory=list,
        description="Kommunens gjenopprettingsnøkler (arkiv, personvernombud): kan lese alle saker.")


class Settings(Record):
    versjon: Literal[1, 2] = Field(1, description="Filens versjon. Mangler den, er filen versjon 1 (stafett migrate).")
    kommune: ShortText = Field(description="Kommunens navn.")
    malform: Malform = Field("nb", description="Målform for dokumenter: nb (bokmål) eller nn (nynorsk).")
    tjenester: list[Tjeneste] = Field(description="Tjenestene som deltar, med fagsystemet hver bruker.")
    innstillinger: Innstillinger = Field(default_factory=Innstillinger, description="Kommunens valg for reglene.")
    kryptering: Kryptering = Field(default_factory=Kryptering, description="Kryptering av sakene (docs/access.md).")

    @model_validator(mode="after")
    def _unique_services(self) -> "Settings":
        seen: set[str] = set()
        for t in self.tjenester:
            if t.id in seen:
                raise Invalid(N_("tjeneste '{service}' is listed twice"), service=t.id)
            seen.add(t.id)
        return self

    def service(self, service_id: str) -> Tjeneste | None:
        return next((t for t in self.tjenester if t.id == service_id), None)

    def malform_of(self, service_id: Optional[str]) -> str:
        """The målform a service writes: its own, else the kommune's."""
        found = self.service(service_id) if service_id else None
        return (found.malform if found else None) or self.malform
