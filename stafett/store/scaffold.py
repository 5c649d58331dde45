"""What `stafett init` writes: a ready case folder inside a git repository."""

from __future__ import annotations

import subprocess
from pathlib import Path

from stafett import schema
from stafett.errors import StafettError, UsageError
from stafett.folder import CASES_DIR, PEOPLE_FILE, SCHEMA_DIR, SETTINGS_FILE
from stafett.i18n import N_, _, in_lang
from stafett.store.files import atomic_write

# The services seed 004 names, with the fagsystem each documents in; the names come from the catalog in
# the new kommune's målform (the ids stay: they are keys, not text).
DEFAULT_SERVICES = [
    ("barnehage", N_("Kindergarten"), "vigilo", False),
    ("skole", N_("School"), "vigilo", False),
    ("helsestasjon", N_("Health centre and school health service"), "infodoc", False),
    ("ppt", N_("Educational-psychological service (PPT)"), "hk-oppvekst", False),
    ("barnevern", N_("Child welfare service"), "familia", False),
    ("koordinerende-enhet", N_("Coordinating unit"), "profil", True),
]

# One template per file; every word in it comes from the catalog, so bokmål and nynorsk have one source.
SETTINGS_TEMPLATE = """\
# yaml-language-server: $schema=./{schemas}/stafett.schema.json
# {intro}
versjon: 2
kommune: {kommune}
malform: {malform}

# {services_intro}
tjenester:
{services}
innstillinger:
  samtykkealder: 16            # {age_note}
  niva0_frist_dager: 14        # {niva0_note}
  krev_sekundaer_koordinator: true
  oppbevaring_ar: 10
  varsel_evaluering_dager: 14
  varsel_18_ar_dager: 180
  varsel_samtykke_dager: 30
  samtale_uker: 6              # {talk_note}
  ip_tilbud_dager: 30          # {ip_note}
  skjul_for_foresatte: []
{kryptering}"""
CRYPT_TEMPLATE = """
# {crypt_intro}
kryptering:
  pa: true
  gjenoppretting:
    - id: arkiv
      mottaker: {recovery}
"""
SETTINGS_WORDS = {
    "intro": N_("Settings for the kommune's case folder. See README.md."),
    "services_intro": N_("The services taking part, and the fagsystem each documents in (sets the render layout)."),
    "age_note": N_("some kommuner use 15"),
    "niva0_note": N_("deadline for clarifying a worry on nivå 0"),
    "talk_note": N_("weeks without a talk with the child before status reminds you (nivå 1-3)"),
    "ip_note": N_("days from the koordinator's appointment until an individuell plan is offered"),
    "crypt_intro": N_("Each case is encrypted to the people its record gives access, and to the recovery key (docs/access.md)."),
}

PEOPLE_TEMPLATE = """\
# yaml-language-server: $schema=./{schemas}/personer.schema.json
# {intro}
# {example}:
#   - id: kari.lund
#     navn: Kari Lund
#     stilling: {position}
#     tjeneste: barnehage
#     enhet: Solsida barnehage
#     leder: per.berg
#     epost: kari.lund@kommune.no
#     roller: []            # leder, koordinerende_enhet, koordinator
versjon: 2
personer: []
"""
PEOPLE_WORDS = {
    "intro": N_("The staff directory. Children and families are never listed here, only in their own case."),
    "example": N_("Example"),
    "position": N_("head of department (kindergarten)"),
}

# TRANSLATORS: the README of a new case folder; keep the Markdown, the file names and the commands as they are.
README_TEXT = N_("""\
# Case folder for BTI in {kommune} kommune

This folder holds the stafettlogger (the cases) of {kommune} kommune, one YAML file per case in `saker/`.
The folder is a git repository: every change becomes a version, and nothing is lost.

- `stafett.yaml`: the kommune's settings (målform, services, fagsystem, deadlines and age limits).
- `personer.yaml`: staff who can have roles in the cases. Add yourself with the same e-mail as
  `git config user.email`, so stafett knows who acts.
- `saker/`: one file per case. Change the cases with the commands, not by hand when you can avoid it.
- `schemas/`: lets the editor (VS Code with the YAML extension) check the files as you type.
- `ci-eksempel/`: CI examples (GitLab, GitHub/Gitea Actions) that run `stafett validate --since`.

When several coordinators work in their own clones: run `stafett git-setup` once in each clone. Then
git merges case files on their content (log, tiltak, meetings) instead of line by line.

Common commands:

    stafett open --by YOU ...        new worry (nivå 0)
    stafett status                   what needs doing now (evaluations, handovers, consents)
    stafett validate                 check every case (CI runs it too)
    stafett render CASE --format html stafettlogg for your fagsystem

Remember: the stafettlogg does not replace the journal or the archive in your own service.
""")

GITIGNORE = ".*.lock\n.stafett-cache/\n*.tmp\n"

# stafett is installed from wherever the kommune keeps it (a PyPI mirror, an internal git server).
GITHUB_ACTIONS = """\
# {example}: GitHub Actions / Gitea Actions. {copy_github}
# {checks}
name: stafett
on: [push, pull_request]
jobs:
  validate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install "${{{{ vars.STAFETT_PAKKE || 'stafett' }}}}"
      - name: stafett validate
        run: |
          if [ -n "${{{{ github.base_ref }}}}" ]; then since="origin/${{{{ github.base_ref }}}}"; else since="${{{{ github.event.before }}}}"; fi
          if git rev-parse -q --verify "$since^{{commit}}" >/dev/null; then
            stafett validate --format github --since "$since"
          else
            stafett validate --format github
          fi
"""

GITLAB_CI = """\
# {example}: GitLab CI. {copy_gitlab}
# {checks}
stafett-validate:
  image: python:3.12
  variables:
    GIT_DEPTH: "0"
    STAFETT_PAKKE: stafett
  script:
    - pip install "$STAFETT_PAKKE"
    - since="${{CI_MERGE_REQUEST_DIFF_BASE_SHA:-$CI_COMMIT_BEFORE_SHA}}"
    - |
      if git rev-parse -q --verify "$since^{{commit}}" >/dev/null; then
        stafett validate --since "$since"
      else
        stafett validate
      fi
"""
CI_WORDS = {
    "example": N_("Example"),
    "copy_github": N_("Copy to .github/workflows/stafett.yml (Gitea: .gitea/workflows/)."),
    "copy_gitlab": N_("Copy to .gitlab-ci.yml in the case folder's repository."),
    "checks": N_("Checks every case and proves that the log has only been added to since the target branch (append-only)."),
}


def _words(table: dict[str, str], malform: str) -> dict[str, str]:
    return {key: in_lang(malform, msgid) for key, msgid in table.items()}


def create_folder(directory: Path, kommune: str, malform: str, recovery: str | None = None) -> list[str]:
    """A new case folder; with `recovery` (the kommune's recovery key), encryption is on from the first case."""
    if malform not in ("nb", "nn"):
        raise UsageError(_("unknown målform '{malform}'").format(malform=malform), _("use nb or nn"))
    if not kommune.strip() or "\n" in kommune:
        raise UsageError(_("the kommune needs a name on one line"), _("pass --kommune NAME"))
    if recovery is not None:
        from pydantic import ValidationError

        from stafett.model.settings import Gjenoppretting

        try:
            Gjenoppretting(id="arkiv", mottaker=recovery.strip())
        except ValidationError:
            raise UsageError(_("the recovery key is not an age key (age1...) or an ssh-ed25519 key"),
                             _("make one with `age-keygen` and pass its public line to --gjenoppretting")) from None
    root = directory.resolve()
    if (root / SETTINGS_FILE).exists():
        raise StafettError(_("{path} is already a case folder").format(path=root),
                           _("use it as it is, or choose another folder"))
    root.mkdir(parents=True, exist_ok=True)
    said = []
    if not _inside_git(root):
        _git(root, "init", "-q")
        said.append(_("initialised a git repository in {path}").format(path=root))
    services = "".join(
        f"  - id: {sid}\n    navn: {in_lang(malform, name)}\n    fagsystem: {system}\n"
        + ("    koordinerende_enhet: true\n" if ke else "")
        for sid, name, system, ke in DEFAULT_SERVICES)
    quoted = _yaml_scalar(kommune.strip())
    files = {
        SETTINGS_FILE: SETTINGS_TEMPLATE.format(
            kommune=quoted, malform=malform, services=services, schemas=SCHEMA_DIR, **_words(SETTINGS_WORDS, malform),
            kryptering=CRYPT_TEMPLATE.format(recovery=recovery.strip(), **_words(SETTINGS_WORDS, malform)) if recovery else ""),
        PEOPLE_FILE: PEOPLE_TEMPLATE.format(schemas=SCHEMA_DIR, **_words(PEOPLE_WORDS, malform)),
        "README.md": in_lang(malform, README_TEXT).format(kommune=kommune.strip()),
        ".gitignore": GITIGNORE,
        f"{CASES_DIR}/.gitkeep": "",
        "ci-eksempel/github-actions.yml": GITHUB_ACTIONS.format(**_words(CI_WORDS, malform)),
        "ci-eksempel/gitlab-ci.yml": GITLAB_CI.format(**_words(CI_WORDS, malform)),
    }
    (root / CASES_DIR).mkdir(exist_ok=True)
    (root / "ci-eksempel").mkdir(exist_ok=True)
    for name, text in files.items():
        path = root / name
        if not path.exists():
            atomic_write(path, text.encode("utf-8"))
    schema.write(root / SCHEMA_DIR)
    from stafett.store.gitsetup import install

    said += install(root)
    said.append(_("created case folder for {kommune} kommune in {path}").format(kommune=kommune.strip(), path=root))
    said.append(_("next: add your colleagues to personer.yaml, then `stafett open --help`"))
    return said


def _yaml_scalar(value: str) -> str:
    from stafett.store.patch import Style, _inline_scalar

    return _inline_scalar(value, Style(2)) or value


def _inside_git(path: Path) -> bool:
    try:
        r = subprocess.run(["git", "rev-parse", "--is-inside-work-tree"], cwd=path, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return False
    return r.returncode == 0 and r.stdout.strip() == "true"


def _git(path: Path, *args: str) -> None:
    try:
        subprocess.run(["git", *args], cwd=path, check=True, capture_output=True, timeout=60)
    except FileNotFoundError:
        raise StafettError(_("git is not installed"), _("install git (Git for Windows on Windows) and run init again")) from None
    except subprocess.CalledProcessError as e:
        raise StafettError(_("git {command} failed: {reason}").format(
            command=" ".join(args), reason=e.stderr.decode(errors="replace").strip()[:200]), None) from None
