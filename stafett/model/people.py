"""personer.yaml: the staff directory. Children and families never live here, only in their case."""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import Field, StringConstraints, model_validator
from typing_extensions import Annotated

from stafett.findings import Invalid
from stafett.i18n import N_
from stafett.model.common import PersonId, Record, ShortText
from stafett.model.settings import ServiceId

Rolle = Literal["leder", "koordinerende_enhet", "koordinator"]
SshKey = Annotated[
    str,
    StringConstraints(pattern=r"^(ssh-ed25519|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521|"
                              r"sk-ssh-ed25519@openssh\.com|ssh-rsa) [A-Za-z0-9+/]+={0,3}( [^\n]{0,200})?$"),
]

AgeRecipient = Annotated[str, StringConstraints(pattern=r"^age1[02-9ac-hj-np-z]{58}$")]


class Person(Record):
    id: PersonId
    navn: ShortText = Field(description="Fullt navn.")
    stilling: ShortText = Field(description="Stilling, for eksempel kontaktlærer eller helsesykepleier.")
    tjeneste: ServiceId = Field(description="Tjenesten personen arbeider i (id fra stafett.yaml).")
    enhet: Optional[ShortText] = Field(None, description="Enheten, for eksempel Solsida barnehage.")
    leder: Optional[PersonId] = Field(None, description="Id til nærmeste leder.")
    epost: Optional[ShortText] = Field(None, description="E-post; brukes til å kjenne igjen hvem som handler (git config user.email).")
    telefon: Optional[ShortText] = Field(None, description="Telefonnummer på jobb.")
    age_nokkel: Optional[AgeRecipient] = Field(
        None, description="Offentlig age-nøkkel (age1...) som saker krypteres til; uten den brukes ssh-ed25519-nøklene.")
    ssh_nokler: list[SshKey] = Field(
        default_factory=list,
        description="Offentlige SSH-nøkler (ssh-ed25519 ...) personen signerer git-commits med.",
    )
    roller: list[Rolle] = Field(
        default_factory=list,
        description="leder (kan oppnevne stafettholder), koordinerende_enhet (kan oppnevne koordinator), koordinator.",
    )


class People(Record):
    versjon: Literal[1, 2] = Field(1, description="Filens versjon. Mangler den, er filen versjon 1 (stafett migrate).")
    personer: list[Person] = Field(description="Ansatte som kan ha roller i sakene.")

    @model_validator(mode="after")
    def _unique_ids(self) -> "People":
        seen: set[str] = set()
        for p in self.personer:
            if p.id in seen:
                raise Invalid(N_("person '{person}' is listed twice"), person=p.id)
            seen.add(p.id)
        return self

    def get(self, person_id: str | None) -> Person | None:
        return next((p for p in self.personer if p.id == person_id), None)

    def allowed_signers(self) -> str:
        """git's allowed-signers file (gpg.ssh.allowedSignersFile): one line per staff key, the e-mail as principal."""
        lines = [f'{p.epost.strip()} namespaces="git" {key.strip()}'
                 for p in self.personer if p.epost for key in p.ssh_nokler]
        return "".join(line + "\n" for line in lines)

    def recipients(self, person_id: str) -> list[str]:
        """The public keys a case is encrypted to for this person: the age key, else the SSH keys age can use."""
        p = self.get(person_id)
        if p is None:
            return []
        if p.age_nokkel:
            return [p.age_nokkel]
        return [" ".join(k.split()[:2]) for k in p.ssh_nokler if k.startswith(("ssh-ed25519 ", "ssh-rsa "))]

    def by_email(self, email: str) -> Person | None:
        email = email.strip().lower()
        return next((p for p in self.personer if p.epost and p.epost.lower() == email), None)
