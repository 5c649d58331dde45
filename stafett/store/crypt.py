"""Encryption at rest of a case's personal content: SOPS's design, inside the case file (docs/access.md).

What is sealed follows the model, not a list kept by hand: every string the record holds is sealed unless its
field is structure the rules need without a key (ids of items, staff and services, codes, dates, numbers).
So a free-text field added to the model tomorrow is sealed from the first write; nothing leaks by omission.

The file stays YAML with its comments and order. A sealed value is written in SOPS's token form,
`ENC[AES256_GCM,data:…,iv:…,tag:…,type:str]`: AES-256-GCM (the `cryptography` package) under the case's data
key, with the value's path as associated data, where list items are named by their id
(`tiltak[t-4kq2m9].beskrivelse`, by position where items have none: `logg[3].tekst`), so a value moved to another
field or another item does not open. The data key is wrapped with age (pyrage) to
each reader's public key, one armored age message per key under `kryptering.lesere`, which the `age` tool
opens too. A MAC, sealed under the same key, covers every sealed value with its path, the readers and the
access history: a value removed or added, or a reader edited in or out, is detected by whoever opens the
case; a value moved (or an item reordered where items have no id) no longer opens at its new path. Who may
read is the record's own (model.access); when that changes, the write draws a new data key, so what is written
from then on is closed to those who left.

Only this module and the case store know a file can be encrypted: the workflow, the rules and the templates
see clear models.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
import re
import types
import typing
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, Optional

from stafett.errors import CaseFileError, StafettError
from stafett.i18n import N_, _

ENVELOPE = "kryptering"
FORMAT = 1
PLACEHOLDER = "[kryptert]"
TOKEN = re.compile(r"^ENC\[AES256_GCM,data:([A-Za-z0-9+/]*={0,2}),iv:([A-Za-z0-9+/]{16}),tag:([A-Za-z0-9+/]{22}==),type:str\]$")
_MAC_PATH = "kryptering.mac"  # the MAC is sealed with this as its path


class NotAReader(StafettError):
    """The case is encrypted and none of the user's keys is among its readers."""

    exit_code = 3

    def __init__(self, message: str, holder: str = "") -> None:
        super().__init__(message, _("ask {holder} for access: the family's consent for your service, or a role in the case, "
                                    "adds you on the next change").format(holder=holder or _("the baton holder")))


# --- what is sealed: derived from the model --------------------------------------------------------------

CLEAR, SEALED = "clear", "sealed"
# Strings typed as plain str in the model that hold ids or codes, never free text.
_CLEAR_FIELDS = {("Logg", "med"), ("Kopi", "til"), ("Kopi", "commit"), ("Kopi", "sha256"), ("Mote", "innkalt"),
                 ("Referat", "tilstede"), ("Referat", "fravaerende"), ("Referat", "kopi_til"),
                 ("KoordinatorForesporsel", "kriterier")}


def _id_patterns() -> set[str]:
    from stafett.model.common import CaseId, ItemId, PersonId
    from stafett.model.settings import ServiceId

    return {m.pattern for alias in (PersonId, ItemId, CaseId, ServiceId) for m in typing.get_args(alias)[1:]
            if getattr(m, "pattern", None)}


@lru_cache(maxsize=None)
def _fields(model: type) -> dict[str, Any]:
    ids = _id_patterns()
    return {name: (CLEAR if (model.__name__, name) in _CLEAR_FIELDS else _shape(info.annotation, list(info.metadata), ids))
            for name, info in model.model_fields.items()}


def _shape(annotation: Any, metadata: list, ids: set[str]) -> Any:
    """CLEAR, SEALED, a model class, or ("list", shape)."""
    from pydantic import BaseModel

    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _shape(args[0], metadata + list(args[1:]), ids)
    if origin in (typing.Union, types.UnionType):
        shapes = [_shape(a, metadata, ids) for a in args if a is not type(None)]
        models = [s for s in shapes if isinstance(s, type)]
        if models:
            return models[0]
        return CLEAR if all(s == CLEAR for s in shapes) else SEALED
    if origin is list:
        return ("list", _shape(args[0], [], ids))
    if origin is typing.Literal:
        return CLEAR
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if annotation is str:
        return CLEAR if any(getattr(m, "pattern", None) in ids for m in metadata) else SEALED
    return CLEAR  # dates, times, numbers, booleans: the structure the rules read


def _root_shape() -> Any:
    from stafett.model import Case

    return Case


Leaf = tuple[Any, Any, str, bool, tuple]


def strings(data: Any, shape: Any = None, path: str = "", loc: tuple = ()) -> Iterator[Leaf]:
    """(container, key, path, sealed, loc) for every string in the record, in document order: `path` names list
    items by their id (what a sealed value is bound to), `loc` by position (where a finding points). A key
    the model does not know is sealed: when in doubt, it is content."""
    if shape is None and path == "":
        shape = _root_shape()
    if isinstance(data, dict):
        fields = _fields(shape) if isinstance(shape, type) else {}
        for key, value in data.items():
            if path == "" and key == ENVELOPE:
                continue
            sub = fields.get(key, SEALED) if isinstance(shape, type) else SEALED
            yield from _at(data, key, value, sub, f"{path}.{key}" if path else str(key), loc + (key,))
    elif isinstance(data, list):
        inner = shape[1] if isinstance(shape, tuple) else SEALED
        for n, item in enumerate(data):
            name = item.get("id") if isinstance(item, dict) else None
            yield from _at(data, n, item, inner, f"{path}[{name if isinstance(name, str) else n}]", loc + (n,))


def _at(container: Any, key: Any, value: Any, shape: Any, path: str, loc: tuple) -> Iterator[Leaf]:
    if isinstance(value, str):
        yield container, key, path, shape != CLEAR, loc
    elif isinstance(value, (dict, list)):
        if shape == CLEAR and isinstance(value, list):
            shape = ("list", CLEAR)  # a list of ids or codes typed as plain str (_CLEAR_FIELDS)
        yield from strings(value, SEALED if shape in (CLEAR, SEALED) else shape, path, loc)


# --- tokens ------------------------------------------------------------------------------------------------

def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def seal_value(key: bytes, value: str, path: str) -> str:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    iv = os.urandom(12)
    sealed = AESGCM(key).encrypt(iv, value.encode("utf-8"), path.encode("utf-8"))
    return f"ENC[AES256_GCM,data:{_b64(sealed[:-16])},iv:{_b64(iv)},tag:{_b64(sealed[-16:])},type:str]"


def open_value(key: bytes, token: str, path: str) -> Optional[str]:
    """The clear value, or None when the token does not open under this key at this path."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    m = TOKEN.match(token)
    if m is None:
        return None
    data, iv, tag = (base64.b64decode(g) for g in m.groups())
    try:
        return AESGCM(key).decrypt(iv, data + tag, path.encode("utf-8")).decode("utf-8")
    except (InvalidTag, UnicodeDecodeError, ValueError):
        return None


def is_token(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("ENC[") and TOKEN.match(value) is not None


# --- identities and readers ------------------------------------------------------------------------------

def identity_files() -> list[Path]:
    """STAFETT_IDENTITY (files separated like PATH; set and empty: none), else the usual places."""
    given = os.environ.get("STAFETT_IDENTITY")
    if given is not None:
        return [Path(p).expanduser() for p in given.split(os.pathsep) if p]
    home = Path.home()
    return [home / ".config" / "stafett" / "identity.txt", home / ".ssh" / "id_ed25519"]


@lru_cache(maxsize=8)
def _identities(names: tuple[str, ...]) -> tuple:
    import pyrage

    out = []
    for name in names:
        try:
            raw = Path(name).read_bytes()
        except OSError:
            continue
        if b"OPENSSH PRIVATE KEY" in raw:
            try:
                out.append(pyrage.ssh.Identity.from_buffer(raw))
            except Exception:  # a passphrase-protected key: age cannot use it without asking
                continue
        for line in raw.decode("utf-8", errors="replace").splitlines():
            if line.startswith("AGE-SECRET-KEY-1"):
                try:
                    out.append(pyrage.x25519.Identity.from_str(line.strip()))
                except Exception:
                    continue
    return tuple(out)


def identities() -> tuple:
    return _identities(tuple(str(p) for p in identity_files()))


def wrap(key: bytes, recipient: str) -> str:
    import pyrage

    r = (pyrage.x25519.Recipient if recipient.startswith("age1") else pyrage.ssh.Recipient).from_str(recipient)
    return pyrage.encrypt(key, [r], armored=True).decode("ascii")


def _unwrap(armored: str, ids: tuple) -> Optional[bytes]:
    import pyrage

    if not ids or not isinstance(armored, str):
        return None
    try:
        key = pyrage.decrypt(armored.encode("ascii"), list(ids))
    except Exception:  # not for any of these keys, or not an age message at all
        return None
    return key if len(key) == 32 else None


# --- the envelope ----------------------------------------------------------------------------------------

@dataclass
class Lock:
    """What opening a case gave: its data key, its envelope, and each sealed value's token, so a write
    re-uses the tokens of values it did not change (a one-line change stays a one-line diff)."""

    key: bytes
    envelope: dict
    tokens: dict[str, tuple[str, str]] = field(default_factory=dict)  # path -> (clear value, token)

    def readers(self) -> list[tuple[str, str]]:
        return [_who(r) for r in self.envelope.get("lesere", [])]


def _who(entry: dict) -> tuple[str, str]:
    who = entry.get("person") or "gjenoppretting:" + str(entry.get("gjenoppretting"))
    return str(who), str(entry.get("mottaker"))


def _mac_input(data: dict, envelope: dict) -> bytes:
    h = hashlib.sha256()
    # By path, not by place in the file: a patch may put a new key anywhere in a mapping. A value moved to
    # another place has another path, which its own seal already refuses (Q002).
    sealed_values = sorted((path, container[key]) for container, key, path, sealed, _loc in strings(data)
                           if sealed and is_token(container[key]))  # a clear value typed in by hand is sealed on the next write
    for path, token in sealed_values:
        h.update(f"{path}\t{token}\n".encode("utf-8"))
    h.update(b"--\n")
    for entry in envelope.get("lesere", []):
        h.update("{}\t{}\n".format(*_who(entry)).encode("utf-8"))
    for t in envelope.get("tilgang", []):
        h.update(f"{t.get('person')}\t{t.get('fra')}\t{t.get('til')}\n".encode("utf-8"))
    return h.hexdigest().encode("ascii")


def envelope_of(data: Any) -> Optional[dict]:
    env = data.get(ENVELOPE) if isinstance(data, dict) else None
    return env if isinstance(env, dict) else None


def baton_of(data: dict) -> str:
    holder = data.get("stafettholder")
    return str(holder.get("person")) if isinstance(holder, dict) else str(data.get("eier"))


def not_a_reader(path: str, holder: str) -> str:
    return _("{file} is encrypted, and none of your keys is among its readers (the baton is with {holder})").format(
        file=Path(path).name, holder=holder)


def open_data(data: dict, path: str, *, key: Optional[bytes] = None) -> tuple[dict, Optional[Lock]]:
    """The clear record and its Lock; a clear file comes back as it is, with no Lock.

    Raises NotAReader when none of the user's keys opens the case, and CaseFileError (Q002, Q003) for a file
    that was tampered with: the case is never handed on half-open."""
    env = envelope_of(data)
    if env is None:
        return data, None
    broken = envelope_problems(env)
    if broken:
        raise CaseFileError(_(broken[0]).format(key=ENVELOPE), _("restore the file from git (`git log -p`); the envelope is written by stafett only"),
                            path=path, line=1, col=1, code="Q004")
    if key is None:
        ids = identities()
        key = next((k for k in (_unwrap(e.get("nokkel"), ids) for e in env.get("lesere", []) if isinstance(e, dict))
                    if k is not None), None)
    if key is None:
        raise NotAReader(not_a_reader(path, baton_of(data)))
    clear = _copy({k: v for k, v in data.items() if k != ENVELOPE})
    lock = Lock(key, _dated(env))
    for container, k, where, sealed, _loc in list(strings(clear)):
        value = container[k]
        if not (sealed and is_token(value)):
            continue
        opened = open_value(key, value, where)
        if opened is None:
            raise CaseFileError(_("the encrypted value at {path} does not belong there (moved or altered)").format(path=where),
                                _("restore the file from git (`git log -p`) and tell the case's holder"),
                                path=path, line=1, col=1, code="Q002")
        container[k] = opened
        lock.tokens[where] = (opened, value)
    expected = open_value(key, str(env.get("mac", "")), _MAC_PATH)
    if expected is None or expected.encode("ascii") != _mac_input(data, env):
        raise CaseFileError(_("encrypted values or readers of this case were added or removed by hand"),
                            _("restore the file from git (`git log -p`) and tell the case's holder"),
                            path=path, line=1, col=1, code="Q003")
    return clear, lock


def _dated(env: dict) -> dict:
    """The envelope with its access dates as dates, as a write gives them (plain dates in the file: a quoted
    date would send every encrypted case past the fast reader)."""
    def day(value: Any) -> Any:
        try:
            return dt.date.fromisoformat(value) if isinstance(value, str) else value
        except ValueError:
            return value

    return {**env, "tilgang": [{k: day(v) if k in ("fra", "til") else v for k, v in t.items()} if isinstance(t, dict) else t
                               for t in env.get("tilgang", []) or []]}


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def as_read(clear: dict, lock: Lock) -> dict:
    """The clear record written back as it was read: each value that has not changed in its token, the
    envelope as it was (what a patch compares the new record against)."""
    out = _copy(clear)
    for container, k, where, sealed, _loc in list(strings(out)):
        known = lock.tokens.get(where)
        if sealed and known is not None and known[0] == container[k]:
            container[k] = known[1]
    out[ENVELOPE] = lock.envelope
    return out


def seal(clear: dict, lock: Optional[Lock], readers: list[tuple[str, str]], today: dt.date) -> tuple[dict, Lock]:
    """The record as written: sealed values, the envelope with the readers' wrapped keys, the access
    history and the MAC. The same readers keep the key and every unchanged value's token; any change of
    readers draws a new key and seals everything again."""
    same = lock is not None and sorted(lock.readers()) == sorted(readers)
    key = lock.key if same else os.urandom(32)
    old_env = lock.envelope if lock is not None else {}
    out = _copy(clear)
    new_lock = Lock(key, {})
    for container, k, where, sealed, _loc in list(strings(out)):
        value = container[k]
        if not sealed:
            continue
        previous = lock.tokens.get(where) if same else None
        token = previous[1] if previous is not None and previous[0] == value else seal_value(key, value, where)
        container[k] = token
        new_lock.tokens[where] = (value, token)
    if same:
        lesere = old_env.get("lesere", [])
    else:
        lesere = [{**({"person": who} if not who.startswith("gjenoppretting:") else {"gjenoppretting": who.split(":", 1)[1]}),
                   "mottaker": recipient, "nokkel": wrap(key, recipient)} for who, recipient in readers]
    env = {"versjon": FORMAT, "lesere": lesere, "tilgang": _history(old_env.get("tilgang", []), readers, today)}
    env["mac"] = seal_value(key, _mac_input(out, env).decode("ascii"), _MAC_PATH)
    out[ENVELOPE] = env
    new_lock.envelope = env
    return out, new_lock


def _history(previous: list, readers: list[tuple[str, str]], today: dt.date) -> list:
    """Who could read from when to when: a person leaving gets `til`, a person joining a new line."""
    now = {who for who, _r in readers if not who.startswith("gjenoppretting:")}
    out = []
    open_ = set()
    for entry in previous:
        entry = dict(entry)
        if entry.get("til") is None:
            if entry.get("person") in now:
                open_.add(entry.get("person"))
            else:
                entry["til"] = today
        out.append(entry)
    out += [{"person": who, "fra": today} for who in sorted(now - open_)]
    return out


def clear_part(data: dict) -> tuple[dict, list[tuple[str, str, dict, tuple]]]:
    """The record as someone without a key sees it: the envelope gone, each sealed value a placeholder; and
    the problems a keyless reader can see: (code, message id, values, loc). For a clear file, the data as it is.
    Every validate of an encrypted folder runs this on every case, so it is one pass without generators."""
    env = envelope_of(data)
    problems: list[tuple[str, str, dict, tuple]] = []
    if env is None:
        if ENVELOPE in data:
            problems.append(("Q004", N_("the {key} block is not a mapping"), {"key": ENVELOPE}, (ENVELOPE,)))
            return {k: v for k, v in data.items() if k != ENVELOPE}, problems
        return data, problems
    out = _clear({k: v for k, v in data.items() if k != ENVELOPE}, _root_shape(), "", (), problems)
    problems += [("Q004", message, {"key": ENVELOPE}, (ENVELOPE,)) for message in envelope_problems(env)]
    return out, problems


def envelope_problems(env: dict) -> list[str]:
    """What is wrong with an envelope's shape (message ids), checked before anything reads it: a hostile file
    must give a finding, never a crash."""
    found = []
    lesere = env.get("lesere")
    if not isinstance(lesere, list) or not lesere or not all(
            isinstance(e, dict) and isinstance(e.get("nokkel"), str) and "BEGIN AGE ENCRYPTED FILE" in e["nokkel"]
            and isinstance(e.get("mottaker"), str) for e in lesere):
        found.append(N_("the {key} block lists no readers with a wrapped key"))
    tilgang = env.get("tilgang", [])
    if not isinstance(tilgang, list) or not all(isinstance(t, dict) for t in tilgang):
        found.append(N_("the {key} block's access history is not a list of entries"))
    if not is_token(env.get("mac")):
        found.append(N_("the {key} block has no MAC"))
    return found


def masked(data: dict) -> dict:
    """A clear record as a keyless reader would see it encrypted: every value that would be sealed is the
    placeholder (what `validate --since` compares a case encrypted since REV against)."""
    return _clear({k: v for k, v in data.items() if k != ENVELOPE}, _root_shape(), "", (), None)


def _clear(value: Any, shape: Any, path: str, loc: tuple, problems: Optional[list]) -> Any:
    if isinstance(value, dict):
        fields = _fields(shape) if isinstance(shape, type) else None
        out = {}
        for key, item in value.items():
            sub = fields.get(key, SEALED) if fields is not None else SEALED
            where = f"{path}.{key}" if path else str(key)
            if isinstance(item, str):
                kept = _leaf(item, sub != CLEAR, key == "fodselsnummer", where, loc + (key,), problems)
                if kept is not None:
                    out[key] = kept
            elif isinstance(item, (dict, list)):
                if sub == CLEAR and isinstance(item, list):
                    sub = ("list", CLEAR)
                out[key] = _clear(item, SEALED if sub in (CLEAR, SEALED) else sub, where, loc + (key,), problems)
            else:
                out[key] = item
        return out
    inner = shape[1] if isinstance(shape, tuple) else SEALED
    out_list = []
    for n, item in enumerate(value):
        name = item.get("id") if isinstance(item, dict) else None
        where = f"{path}[{name if isinstance(name, str) else n}]"
        if isinstance(item, str):
            kept = _leaf(item, inner != CLEAR, False, where, loc + (n,), problems)
            out_list.append(PLACEHOLDER if kept is None else kept)
        elif isinstance(item, (dict, list)):
            out_list.append(_clear(item, SEALED if inner in (CLEAR, SEALED) else inner, where, loc + (n,), problems))
        else:
            out_list.append(item)
    return out_list


def _leaf(value: str, sealed: bool, patterned: bool, where: str, loc: tuple, problems: Optional[list]) -> Optional[str]:
    """A string of the clear part; None to leave a sealed fixed-form value (the fødselsnummer) out, not faked.
    Without `problems`, every value that would be sealed is masked, token or not."""
    token = value.startswith("ENC[") and TOKEN.match(value) is not None
    if sealed and (token or problems is None):
        return None if patterned else PLACEHOLDER
    if problems is None:
        return value
    if sealed:
        problems.append(("Q001", N_("{path} is written in clear in an encrypted case"), {"path": where}, loc))
    elif value.startswith("ENC["):
        problems.append(("Q005", N_("{path} holds an encrypted value where the record keeps structure in clear"),
                         {"path": where}, loc))
    return value
