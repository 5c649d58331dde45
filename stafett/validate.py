"""Validate files of a case folder: syntax, schema, domain rules. Findings as values, every file checked.

Files take the fast path (yaml-rs + pydantic + rules) unless the screen shows the two readers could
differ on them. Findings are placed on their lines from the text's line index (stafett.store.lineindex);
only a finding it cannot place costs the strict reader. Rules see today through a probe
(stafett.dateprobe), so each result carries the days it holds on and the cache reuses it on those days.
Large folders are checked on every core.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from pydantic import ValidationError

from stafett import dateprobe, i18n, rules, scan, templatecheck, textcheck
from stafett.errors import CaseFileError, FolderError, UsageError
from stafett.findings import Finding, Msg, from_validation_error, locate
from stafett.i18n import N_, _
from stafett.folder import CASES_DIR, PEOPLE_FILE, SETTINGS_FILE, find_root, outside_links
from stafett.model import Case, People, Settings
from stafett.model.settings import Innstillinger
from stafett.store import crypt, files, yamlio
from stafett.store.lineindex import LineIndex

MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)\s*$")


@dataclass
class Context:
    settings: Settings
    people: Optional[People]
    today: dt.date
    root: Optional[Path] = None  # a modeline pointing outside root/schemas is checked on every run


ALWAYS = (-(1 << 40), 1 << 40)

_CRYPT_HINTS = {
    "Q001": N_("any stafett command on the case seals it again; or run `stafett encrypt` on the folder"),
    "Q004": N_("restore the file from git (`git log -p`); the envelope is written by stafett only"),
    "Q005": N_("restore the value from git (`git log -p`); structure is never encrypted"),
}


def _file_error(e: CaseFileError, path: str) -> Finding:
    return Finding(e.code, e.message, hint=e.hint, path=path, line=e.line or 1, col=e.col or 1)


def check_document(raw: bytes, path: str, model: type, ctx: Optional[Context]) -> tuple[list[Finding], object]:
    """All findings for one file's bytes, located; and the model (or None)."""
    found, obj, _span = check_with_span(raw, path, model, ctx)
    return found, obj


def check_with_span(raw: bytes, path: str, model: type, ctx: Optional[Context]) -> tuple[list[Finding], object, tuple[int, int]]:
    """Findings, model, and the day ordinals [lo, hi) on which these findings are the same."""
    try:
        text = yamlio.decode(raw, path)
        data = yamlio.read_fast(text.text, path)
        if data is None:
            data = yamlio.load_strict(text.text, path)
        if not isinstance(data, dict):
            yamlio.load_mapping(raw, path, fast=False)  # raises the proper Y003 with its wording
    except CaseFileError as e:
        return [_file_error(e, path)], None, ALWAYS
    found: list[Finding] = []
    sealing: list[Finding] = []
    if model is Case:
        # The clear part: what CI and anyone without a key can check, the same for everyone (docs/access.md).
        data, problems = crypt.clear_part(data)
        sealing = [Finding(code, Msg(message, **values), loc=loc, hint=Msg(_CRYPT_HINTS[code]))
                   for code, message, values, loc in problems]
    obj = None
    span = ALWAYS
    try:
        obj = model.model_validate(data)
    except ValidationError as e:
        found = from_validation_error(e, model)
    else:
        if ctx is not None:
            found, span = _rules_for(obj, ctx)
    found += sealing
    if textcheck.any_invisible(raw):
        found += textcheck.findings(data)
    found += _modeline(text.text, path, required=model is Case)  # stafett.yaml, personer.yaml: checked if present
    if ctx is not None and not _modeline_in_key(text.text, path, ctx.root):
        span = (ctx.today.toordinal(), ctx.today.toordinal() + 1)
    if model is Case:
        if isinstance(obj, Case) and path != "-" and Path(path).stem != obj.id:
            found.append(Finding("F002", Msg(N_("case id '{case}' does not match the file name '{file}'"),
                                     case=obj.id, file=Path(path).name),
                                 loc=("id",), hint=Msg(N_("rename the file to {case}.yaml or fix the id"), case=obj.id)))
    if not found:
        return [], obj, span
    placed = _place(found, text.text, path)
    if placed is None:
        try:
            _doc, root = yamlio.compose_strict(text.text, path)
        except CaseFileError as e:  # the fast loader accepted what the strict one refuses: the strict one is right
            return [_file_error(e, path)], None, ALWAYS
        placed = [f.at(path, *((f.line, f.col) if f.line else locate(root, f.loc, f.on_key))) for f in found]
    return placed, obj, span


def _place(found: list[Finding], text: str, path: str) -> Optional[list[Finding]]:
    """Every finding on its line from the line index, or None when one of them needs the strict reader."""
    index = None
    placed = []
    for f in found:
        if f.line:
            placed.append(f.at(path, f.line, f.col))
            continue
        index = index or LineIndex(text)
        where = index.locate(f.loc, f.on_key)
        if where is None:
            return None
        placed.append(f.at(path, *where))
    return placed


def _modeline_in_key(text: str, path: str, root: Optional[Path]) -> bool:
    """S010/S011 depend on the schema file a modeline names; only root/schemas is in the cache key."""
    m = MODELINE.match(text.split("\n", 1)[0])
    if m is None or path == "-" or root is None:
        return True
    target = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(path)), m.group(1)))
    return os.path.dirname(target) == os.path.join(str(root), "schemas")


def _rules_for(obj: object, ctx: Context) -> tuple[list[Finding], tuple[int, int]]:
    if isinstance(obj, Case):
        today, horizon = dateprobe.watched(ctx.today)
        return rules.run_rules(obj, ctx.settings, ctx.people, today), horizon.span()
    if isinstance(obj, People):
        return _people_rules(obj, ctx.settings) + rules.folder_file_version(obj, PEOPLE_FILE), ALWAYS
    if isinstance(obj, Settings):
        return rules.folder_file_version(obj, SETTINGS_FILE), ALWAYS
    return [], ALWAYS


def _people_rules(people: People, settings: Settings) -> list[Finding]:
    ids = {p.id for p in people.personer}
    services = {t.id for t in settings.tjenester}
    out = []
    for n, p in enumerate(people.personer):
        if p.leder and p.leder not in ids:
            out.append(Finding("R001", Msg(N_("unknown leader '{leader}' for '{person}'"), leader=p.leder, person=p.id),
                               loc=("personer", n, "leder"), hint=Msg(N_("use an id from personer.yaml"))))
        if services and p.tjeneste not in services:
            out.append(Finding("R005", Msg(N_("unknown service '{service}' for '{person}'"), service=p.tjeneste, person=p.id),
                               loc=("personer", n, "tjeneste"), hint=rules.one_of(services)))
    return out


def _modeline(text: str, path: str, required: bool = True) -> list[Finding]:
    first = text.split("\n", 1)[0]
    m = MODELINE.match(first)
    if not m:
        return [] if not required else [Finding("S010", Msg(N_("first line is not a yaml-language-server $schema modeline")),
                        severity="warning", path=path, line=1, col=1,
                        hint=Msg(N_("start the file with '# yaml-language-server: $schema=../schemas/sak.schema.json'")))]
    if path != "-" and not (Path(path).parent / m.group(1)).is_file():
        return [Finding("S011", Msg(N_("the schema '{schema}' does not exist relative to this file"), schema=m.group(1)),
                        severity="warning", path=path, line=1, col=m.start(1) + 1,
                        hint=Msg(N_("run `stafett schema` or fix the relative path")))]
    return []


# --- folders and parallel runs -----------------------------------------------------------------------

def check_case_path(path: str, ctx: Optional[Context]) -> list[Finding]:
    # Never follow a link (one to /proc/self/environ would print CI secrets as "source lines"), never
    # block on a FIFO, never read a device: the store's reader refuses each with its code (Y008, F003, Y005).
    return _read_and_check(Path(path), path, Case, ctx)[0]


def _read_and_check(file: Path, path: str, model: type, ctx: Optional[Context], follow: bool = False):
    raw, failed = _read(file, path, follow)
    if failed:
        return failed, None
    return check_document(raw, path, model, ctx)


def _read(file: Path, path: str, follow: bool = False) -> tuple[bytes, list[Finding]]:
    try:
        return files.read_regular(file, follow=follow), []
    except CaseFileError as e:
        return b"", [_file_error(e, path)]
    except OSError as e:
        return b"", [Finding("Y007", Msg(N_("cannot read file: {reason}"), reason=e.strerror), path=path, line=1, col=1,
                               hint=Msg(N_("check the path and permissions")))]


def _fallback_settings() -> Settings:
    return Settings.model_construct(kommune="?", malform="nb", tjenester=[], innstillinger=Innstillinger())


def load_context(root: Path, today: dt.date, shown) -> tuple[Context, list[Finding]]:
    """Settings and people of a folder, with their own findings; a broken one still lets cases be checked."""
    outside = outside_links(root)
    found: list[Finding] = [_file_error(e, shown(Path(e.path))) for e in outside]
    settings_path, people_path = root / SETTINGS_FILE, root / PEOPLE_FILE
    linked = {Path(e.path) for e in outside}
    settings = None
    if os.path.lexists(settings_path) and settings_path not in linked:
        f, settings = _read_and_check(settings_path, shown(settings_path), Settings, None, follow=True)
        found += f
    settings = settings or _fallback_settings()
    ctx = Context(settings, None, today, root.resolve())
    if os.path.lexists(people_path) and people_path not in linked:
        f, people = _read_and_check(people_path, shown(people_path), People, ctx, follow=True)
        found += f
        ctx.people = people
    elif people_path not in linked:
        found.append(Finding("F001", Msg(N_("personer.yaml is missing")), path=shown(root), line=1, col=1,
                             hint=Msg(N_("every case folder needs a staff directory; see `stafett init`"))))
    return ctx, found


def _targets(paths: list[Path], cwd: Path) -> dict[Path, list[str]]:
    """Group the case files to check by their folder root; a root maps to [] when only its own files are asked."""
    groups: dict[Path, list[str]] = {}
    for p in paths:
        if not p.exists():
            raise UsageError(_("{path} does not exist").format(path=p), _("check the path"))
        if p.is_dir():
            root = find_root(p)
            base = root / CASES_DIR if p.resolve() == root else p.resolve()
            groups.setdefault(root, []).extend(scan.case_files(base, cwd, root) if base.is_dir() else [])
        else:
            root = find_root(p.parent)
            if p.name not in (SETTINGS_FILE, PEOPLE_FILE):
                groups.setdefault(root, []).append(scan.shown(p.resolve(), cwd))
            else:
                groups.setdefault(root, [])
    return groups


def validate_paths(paths: list[Path], today: dt.date, jobs: Optional[int] = None, progress=None,
                   use_cache: bool = True) -> list[Finding]:
    cwd = Path.cwd()
    out: list[Finding] = []
    for root, files in _targets(paths, cwd).items():
        ctx, found = load_context(root, today, lambda p: scan.shown(p, cwd))
        out += found
        out += templatecheck.check_folder(root, lambda p: scan.shown(p, cwd))
        names = list(dict.fromkeys(files))
        if progress is not None and hasattr(progress, "add_total"):
            progress.add_total(len(names))
        out += _check_files(root, names, ctx, jobs, progress, use_cache)
    return out


def _check_file_dicts(path: str, ctx: Context, raw: Optional[bytes]) -> tuple[list[dict], tuple[int, int]]:
    if raw is None:
        raw, failed = _read(Path(path), path)
        if failed:
            return [f.to_cache() for f in failed], ALWAYS
    found, _obj, span = check_with_span(raw, path, Case, ctx)
    return [f.to_cache() for f in found], span


def _finding_from(d: dict, path: str) -> Finding:
    """A result from a worker or the cache, in words in the reader's language now (the cache keeps the Msg)."""
    return Finding.from_cache(d, path)


def _check_files(root: Path, names: list[str], ctx: Context, jobs: Optional[int], progress, use_cache: bool) -> list[Finding]:
    job = scan.Job("stafett.validate:_check_file_dicts", ctx, "validate", ctx.today)
    if use_cache:
        # The language is in the key too: a reader's message with no Msg (Y001-Y008) was cached as words.
        results = scan.run_cached(job, root, f"{scan.context_key(root)}:{i18n.current()}", names, jobs, progress)
    else:
        results = scan.run(job, names, jobs, progress)
    return [_finding_from(d, name) for name in names for d in results[name]]


def validate_stdin(raw: bytes, start: Path, today: dt.date) -> list[Finding]:
    try:
        root = find_root(start)
        ctx, _found = load_context(root, today, str)
    except FolderError:
        ctx = Context(_fallback_settings(), None, today)
    return [f for f in check_document(raw, "-", Case, ctx)[0] if f.code not in ("S010", "S011")]
