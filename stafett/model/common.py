"""Building blocks shared by every file kind: the strict base model and id/date types."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# Ids are made from a random part so two offline clones can never mint the same one.
_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"

PersonId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$"),
    Field(description="Id til en ansatt i personer.yaml (små bokstaver, tall, punktum, bindestrek)."),
]
ItemId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$"),
    Field(description="Id innenfor saken (for eksempel t-4kq2m9). Lages av stafett."),
]
CaseId = Annotated[
    str,
    StringConstraints(pattern=r"^S-[0-9]{8}-[a-z0-9]{4,12}$"),
    Field(description="Sakens id, for eksempel S-20260301-k7q4m2. Den er også filnavnet i saker/."),
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=300)]


def new_token(length: int = 6) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def new_item_id(prefix: str) -> str:
    return f"{prefix}-{new_token()}"


def new_case_id(today: dt.date) -> str:
    return f"S-{today:%Y%m%d}-{new_token()}"


class Record(BaseModel):
    """Every stafett model: unknown keys are errors, never silently dropped."""

    model_config = ConfigDict(extra="forbid", validate_assignment=False, frozen=False)
