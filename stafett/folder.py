"""A case folder: stafett.yaml, personer.yaml, saker/<ID>.yaml, optional templates/."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from stafett.errors import CaseFileError, FolderError, NotFound, UsageError
from stafett.i18n import _
from stafett.model import People, Settings

SETTINGS_FILE = "stafett.yaml"
PEOPLE_FILE = "personer.yaml"
CASES_DIR = "saker"
SCHEMA_DIR = "schemas"
CASE_ID = re.compile(r"^S-[0-9]{8}-[a-z0-9]{4,12}$")


@dataclass
class Folder:
    root: Path
    settings: Settings
    people: People

    @property
    def cases_dir(self) -> Path:
        return self.root / CASES_DIR

    def case_paths(self) -> list[Path]:
        if not self.cases_dir.is_dir():
            return []
        return sorted(p for p in self.cases_dir.glob("*.yaml") if not p.name.startswith("."))

    def case_path(self, case_id: str, *, must_exist: bool = True) -> Path:
        """The file of a case id, refusing anything that could point outside saker/."""
        if not CASE_ID.fullmatch(case_id):
            if case_id.isprintable() and len(case_id) <= 40:
                message = _("'{case}' is not a case id").format(case=case_id)
            else:
                message = _("the id given is not a case id")
            raise UsageError(message, _("case ids look like S-20261123-k7q4m2"))
        path = self.cases_dir / f"{case_id}.yaml"
        if path.is_symlink() or (path.exists() and escapes(self.cases_dir, path)):
            raise UsageError(_("{path} is a link out of the case folder").format(path=path),
                             _("replace the link with the case file itself"))
        if must_exist and not path.exists():
            raise NotFound(_("no case {case} in {folder}").format(case=case_id, folder=self.cases_dir),
                           _("list cases with `stafett status`"))
        return path


def find_root(start: Path | None = None) -> Path:
    here = (start or Path.cwd()).resolve()
    for folder in [here, *here.parents]:
        if (folder / SETTINGS_FILE).is_file():
            return folder
    raise FolderError(_("not inside a case folder (no stafett.yaml here or above)"),
                      _("cd into one, pass --folder, or create one with `stafett init`"))


def escapes(root: Path, path: Path) -> bool:
    """Whether `path` (through any link on the way) ends up outside `root`."""
    return not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))


def outside_links(root: Path) -> list[CaseFileError]:
    """saker/, stafett.yaml and personer.yaml that lead out of the case folder: a cloned repository
    could otherwise make commands read, or write cases, anywhere on the machine."""
    found = []
    for name in (CASES_DIR, SETTINGS_FILE, PEOPLE_FILE):
        path = root / name
        if os.path.lexists(path) and escapes(root, path):
            found.append(CaseFileError(
                _("{name} is a link out of the case folder; stafett reads and writes only inside it").format(name=name),
                _("replace the link with the real folder") if name == CASES_DIR else _("replace the link with the real file"),
                path=str(path), line=1, col=1, code="F004"))
    return found


def read_folder_file(path: Path) -> bytes:
    """stafett.yaml or personer.yaml: a regular file below the size cap, never a FIFO or device.
    A link is followed only once `outside_links` has shown it stays inside the folder."""
    from stafett.store import files

    return files.read_regular(path, follow=True)


def _load(path: Path, model):
    from stafett.store import yamlio

    try:
        raw = read_folder_file(path)
    except FileNotFoundError:
        raise FolderError(_("{path} is missing").format(path=path),
                          _("every case folder needs stafett.yaml and personer.yaml; see `stafett init`")) from None
    data, _root = yamlio.load_mapping(raw, str(path))
    try:
        return model.model_validate(data)
    except ValidationError as e:
        from stafett.findings import problem, render

        err = e.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        message = (_("{path}: {where}: {problem}").format(path=path, where=where, problem=render(problem(err))) if where
                   else _("{path}: top level: {problem}").format(path=path, problem=render(problem(err))))
        raise FolderError(message,
                          _("run `stafett validate {folder}` for every problem").format(folder=path.parent)) from None


def load_folder(root: Path | None = None) -> Folder:
    root = find_root(root) if root is None or not (root / SETTINGS_FILE).is_file() else root.resolve()
    for problem in outside_links(root):
        raise FolderError(problem.message, problem.hint)
    try:
        settings = _load(root / SETTINGS_FILE, Settings)
        people = _load(root / PEOPLE_FILE, People)
    except CaseFileError as e:
        raise FolderError(str(e), None) from None
    return Folder(root, settings, people)


def schema_dir_for(root: Path) -> Path:
    """The schemas/ a folder's case files point at: its own, or the nearest one above it (cases.example)."""
    for folder in [root, *root.parents]:
        if (folder / SCHEMA_DIR / "sak.schema.json").is_file():
            return folder / SCHEMA_DIR
        if (folder / ".git").exists():
            break
    return root / SCHEMA_DIR


def case_header(root: Path) -> str:
    """First line of every case file: the modeline that lets an editor check the file as it is typed."""
    rel = os.path.relpath(schema_dir_for(root) / "sak.schema.json", root / CASES_DIR).replace(os.sep, "/")
    return f"# yaml-language-server: $schema={rel}\n"
