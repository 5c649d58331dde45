"""JSON Schemas for editors, generated from the models.

The YAML language server understands draft-07 and below, so the output is kept to draft-07 keywords:
`$defs` becomes `definitions`, and every `$schema` says draft-07.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic.json_schema import GenerateJsonSchema

from stafett.model import Case, People, Settings

DRAFT7 = "http://json-schema.org/draft-07/schema#"
SCHEMAS = {
    "sak.schema.json": (Case, "Sak (stafettlogg)", "Én sak: hovedperson, stafettholder, samtykker, tiltak, møter og logg."),
    "stafett.schema.json": (Settings, "stafett.yaml", "Kommunens innstillinger: målform, tjenester og regler."),
    "personer.schema.json": (People, "personer.yaml", "Ansattkatalogen: id, navn, stilling, tjeneste, leder."),
}
# Keywords newer than draft-07 that pydantic can emit; none may reach the committed schemas.
FORBIDDEN = {"prefixItems", "unevaluatedProperties", "$dynamicRef", "$dynamicAnchor", "dependentSchemas", "$defs"}


class _Draft7(GenerateJsonSchema):
    def generate(self, schema, mode="validation"):
        out = super().generate(schema, mode=mode)
        return {"$schema": DRAFT7, **out}


# RFC 3339 `date-time` demands a 'T' and a UTC offset; YAML case files write local times like
# `2026-03-04 14:00:00`, so editors get a pattern that accepts what stafett accepts instead.
DATETIME_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?([ \t]*([Zz]|[-+][0-9]{1,2}(:[0-9]{2})?))?$"


def _to_draft7(node: Any) -> Any:
    if isinstance(node, dict):
        out = {}
        if node.get("format") == "date-time":
            node = {k: v for k, v in node.items() if k != "format"}
            node["pattern"] = DATETIME_PATTERN
        for key, value in node.items():
            if key == "$defs":
                out["definitions"] = _to_draft7(value)
            elif key == "$ref" and isinstance(value, str):
                out[key] = value.replace("#/$defs/", "#/definitions/")
            else:
                out[key] = _to_draft7(value)
        return out
    if isinstance(node, list):
        return [_to_draft7(v) for v in node]
    return node


def build(model: type, title: str, description: str) -> dict:
    schema = _to_draft7(model.model_json_schema(schema_generator=_Draft7, by_alias=True))
    schema["title"] = title
    schema["description"] = description
    return schema


def render_all() -> dict[str, str]:
    return {name: json.dumps(build(*spec), ensure_ascii=False, indent=2) + "\n" for name, spec in SCHEMAS.items()}


def write(folder: Path) -> list[Path]:
    from stafett.store.files import atomic_write

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_all().items():
        path = folder / name
        if _current(path) != text.encode("utf-8"):
            atomic_write(path, text.encode("utf-8"))  # refuses a link, folder or device in its place
            written.append(path)
    return written


def drift(folder: Path) -> list[str]:
    """Schema files in `folder` that differ from what the models generate now."""
    stale = []
    for name, text in render_all().items():
        path = folder / name
        if _current(path) != text.encode("utf-8"):
            stale.append(name)
    return stale


def _current(path: Path) -> bytes | None:
    """A schema file as it is, through the store's reader (a committed link to /dev/zero is not read)."""
    from stafett.errors import StafettError
    from stafett.store.files import read_regular

    try:
        return read_regular(path)
    except (OSError, StafettError):
        return None
