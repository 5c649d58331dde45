"""What `stafett init` writes: a ready case folder inside a git repository."""

from __future__ import annotations

import subprocess
from pathlib import Path

from stafett import schema
from stafett.errors import StafettError, UsageError
from stafett.folder import CASES_DIR, PEOPLE_FILE, SCHEMA_DIR, SETTINGS_FILE
from stafett.i18n import _
from stafett.store.files import atomic_write

# The services seed 004 names, with the fagsystem each documents in.
DEFAULT_SERVICES = [
    ("barnehage", "Barnehage", "vigilo", False),
    ("skole", "Skole", "vigilo", False),
    ("helsestasjon", "Helsestasjon og skolehelsetjeneste", "infodoc", False),
    ("ppt", "PPT", "hk-oppvekst", False),
    ("barnevern", "Barneverntjenesten", "familia", False),
    ("koordinerende-enhet", "Koordinerende enhet", "profil", True),
]

# The same services named in nynorsk (the ids stay: they are keys, not text).
SERVICE_NAMES_NN = {
    "barnehage": "Barnehage",
    "skole": "Skule",
    "helsestasjon": "Helsestasjon og skulehelseteneste",
    "ppt": "PPT",
    "barnevern": "Barnevernstenesta",
    "koordinerende-enhet": "Koordinerande eining",
}

SETTINGS_TEMPLATE = """\
# yaml-language-server: $schema=./{schemas}/stafett.schema.json
# Innstillinger for kommunens saksmappe. Se README.md.
versjon: 2
kommune: {kommune}
malform: {malform}

# Tjenestene som deltar, og fagsystemet hver av dem dokumenterer i (styrer layout i render).
tjenester:
{services}
innstillinger:
  samtykkealder: 16            # noen kommuner bruker 15
  niva0_frist_dager: 14        # frist for å avklare en undring på nivå 0
  krev_sekundaer_koordinator: true
  oppbevaring_ar: 10
  varsel_evaluering_dager: 14
  varsel_18_ar_dager: 180
  varsel_samtykke_dager: 30
  samtale_uker: 6              # uker uten samtale med barnet før status minner om det (nivå 1-3)
  ip_tilbud_dager: 30          # dager fra koordinator er oppnevnt til individuell plan skal være tilbudt
  skjul_for_foresatte: []
"""

PEOPLE_TEMPLATE = """\
# yaml-language-server: $schema=./{schemas}/personer.schema.json
# Ansattkatalogen. Barn og familier føres aldri her, bare i sin egen sak.
# Eksempel:
#   - id: kari.lund
#     navn: Kari Lund
#     stilling: pedagogisk leder
#     tjeneste: barnehage
#     enhet: Solsida barnehage
#     leder: per.berg
#     epost: kari.lund@kommune.no
#     roller: []            # leder, koordinerende_enhet, koordinator
versjon: 2
personer: []
"""

README_TEMPLATE = """\
# Saksmappe for BTI i {kommune} kommune

Denne mappen holder stafettloggene (sakene) for {kommune} kommune, én YAML-fil per sak i `saker/`.
Mappen er et git-repo: hver endring blir en versjon, og ingenting går tapt.

- `stafett.yaml`: kommunens innstillinger (målform, tjenester, fagsystem, frister og aldersgrenser).
- `personer.yaml`: ansatte som kan ha roller i sakene. Legg inn deg selv med samme e-post som
  `git config user.email`, så vet stafett hvem som handler.
- `saker/`: én fil per sak. Endre sakene med kommandoene, ikke for hånd når du kan unngå det.
- `schemas/`: lar editoren (VS Code med YAML-utvidelsen) kontrollere filene mens du skriver.
- `ci-eksempel/`: eksempler på CI (GitLab, GitHub/Gitea Actions) som kjører `stafett validate --since`.

Når flere koordinatorer jobber i hver sin klone: kjør `stafett git-setup` én gang i hver klone. Da
slår git sammen saksfiler på innholdet (logg, tiltak, møter) i stedet for linje for linje.

Vanlige kommandoer:

    stafett open --by DEG ...        ny undring/bekymring (nivå 0)
    stafett status                   hva må gjøres nå (evalueringer, overleveringer, samtykker)
    stafett validate                 kontroller alle saker (kjøres også i CI)
    stafett render SAK --format html stafettlogg for fagsystemet ditt

Husk: stafettloggen erstatter ikke journalen eller arkivet i din egen tjeneste.
"""

SETTINGS_TEMPLATE_NN = """\
# yaml-language-server: $schema=./{schemas}/stafett.schema.json
# Innstillingar for saksmappa til kommunen. Sjå README.md.
versjon: 2
kommune: {kommune}
malform: {malform}

# Tenestene som er med, og fagsystemet kvar av dei dokumenterer i (styrer layout i render).
tjenester:
{services}
innstillinger:
  samtykkealder: 16            # nokre kommunar brukar 15
  niva0_frist_dager: 14        # frist for å avklare ei undring på nivå 0
  krev_sekundaer_koordinator: true
  oppbevaring_ar: 10
  varsel_evaluering_dager: 14
  varsel_18_ar_dager: 180
  varsel_samtykke_dager: 30
  samtale_uker: 6              # veker utan samtale med barnet før status minner om det (nivå 1-3)
  ip_tilbud_dager: 30          # dagar frå koordinator er oppnemnd til individuell plan skal vere tilboden
  skjul_for_foresatte: []
"""

PEOPLE_TEMPLATE_NN = """\
# yaml-language-server: $schema=./{schemas}/personer.schema.json
# Katalogen over tilsette. Barn og familiar vert aldri førte her, berre i si eiga sak.
# Døme:
#   - id: kari.lund
#     navn: Kari Lund
#     stilling: pedagogisk leiar
#     tjeneste: barnehage
#     enhet: Solsida barnehage
#     leder: per.berg
#     epost: kari.lund@kommune.no
#     roller: []            # leder, koordinerende_enhet, koordinator
versjon: 2
personer: []
"""

README_TEMPLATE_NN = """\
# Saksmappe for BTI i {kommune} kommune

Denne mappa held stafettloggane (sakene) for {kommune} kommune, éi YAML-fil per sak i `saker/`.
Mappa er eit git-repo: kvar endring blir ein versjon, og ingenting går tapt.

- `stafett.yaml`: innstillingane til kommunen (målform, tenester, fagsystem, fristar og aldersgrenser).
- `personer.yaml`: tilsette som kan ha roller i sakene. Legg inn deg sjølv med same e-post som
  `git config user.email`, så veit stafett kven som handlar.
- `saker/`: éi fil per sak. Endre sakene med kommandoane, ikkje for hand når du kan unngå det.
- `schemas/`: lèt editoren (VS Code med YAML-utvidinga) kontrollere filene medan du skriv.
- `ci-eksempel/`: døme på CI (GitLab, GitHub/Gitea Actions) som køyrer `stafett validate --since`.

Når fleire koordinatorar arbeider i kvar sin klone: køyr `stafett git-setup` éin gong i kvar klone. Då
slår git saman saksfiler etter innhaldet (logg, tiltak, møte) i staden for linje for linje.

Vanlege kommandoar:

    stafett open --by DEG ...        ny undring/bekymring (nivå 0)
    stafett status                   kva som må gjerast no (evalueringar, overleveringar, samtykke)
    stafett validate                 kontroller alle saker (vert òg køyrd i CI)
    stafett render SAK --format html stafettlogg for fagsystemet ditt

Hugs: stafettloggen erstattar ikkje journalen eller arkivet i di eiga teneste.
"""

GITIGNORE = ".*.lock\n.stafett-cache/\n*.tmp\n"

# stafett is installed from wherever the kommune keeps it (a PyPI mirror, an internal git server).
GITHUB_ACTIONS = """\
# Eksempel: GitHub Actions / Gitea Actions. Kopier til .github/workflows/stafett.yml (Gitea: .gitea/workflows/).
# Kontrollerer alle saker og beviser at loggen bare er lagt til siden målgrenen (append-only).
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
      - run: pip install "${{ vars.STAFETT_PAKKE || 'stafett' }}"
      - name: stafett validate
        run: |
          if [ -n "${{ github.base_ref }}" ]; then since="origin/${{ github.base_ref }}"; else since="${{ github.event.before }}"; fi
          if git rev-parse -q --verify "$since^{commit}" >/dev/null; then
            stafett validate --format github --since "$since"
          else
            stafett validate --format github
          fi
"""

GITLAB_CI = """\
# Eksempel: GitLab CI. Kopier til .gitlab-ci.yml i saksmappens repo.
# Kontrollerer alle saker og beviser at loggen bare er lagt til siden målgrenen (append-only).
stafett-validate:
  image: python:3.12
  variables:
    GIT_DEPTH: "0"
    STAFETT_PAKKE: stafett
  script:
    - pip install "$STAFETT_PAKKE"
    - since="${CI_MERGE_REQUEST_DIFF_BASE_SHA:-$CI_COMMIT_BEFORE_SHA}"
    - |
      if git rev-parse -q --verify "$since^{commit}" >/dev/null; then
        stafett validate --since "$since"
      else
        stafett validate
      fi
"""

# The CI examples' comment lines in nynorsk; the commands in them are the same.
CI_COMMENTS_NN = {
    "# Eksempel: GitHub Actions / Gitea Actions. Kopier til": "# Døme: GitHub Actions / Gitea Actions. Kopier til",
    "# Eksempel: GitLab CI. Kopier til .gitlab-ci.yml i saksmappens repo.":
        "# Døme: GitLab CI. Kopier til .gitlab-ci.yml i repoet til saksmappa.",
    "# Kontrollerer alle saker og beviser at loggen bare er lagt til siden målgrenen (append-only).":
        "# Kontrollerer alle saker og prover at loggen berre har fått nye innslag sidan målgreina (append-only).",
}


def _in_malform(text: str, malform: str) -> str:
    if malform == "nn":
        for nb, nn in CI_COMMENTS_NN.items():
            text = text.replace(nb, nn)
    return text


def create_folder(directory: Path, kommune: str, malform: str) -> list[str]:
    if malform not in ("nb", "nn"):
        raise UsageError(_("unknown målform '{malform}'").format(malform=malform), _("use nb or nn"))
    if not kommune.strip() or "\n" in kommune:
        raise UsageError(_("the kommune needs a name on one line"), _("pass --kommune NAME"))
    root = directory.resolve()
    if (root / SETTINGS_FILE).exists():
        raise StafettError(_("{path} is already a case folder").format(path=root),
                           _("use it as it is, or choose another folder"))
    root.mkdir(parents=True, exist_ok=True)
    said = []
    if not _inside_git(root):
        _git(root, "init", "-q")
        said.append(_("initialised a git repository in {path}").format(path=root))
    nn = malform == "nn"
    services = "".join(
        f"  - id: {sid}\n    navn: {SERVICE_NAMES_NN.get(sid, name) if nn else name}\n    fagsystem: {system}\n"
        + ("    koordinerende_enhet: true\n" if ke else "")
        for sid, name, system, ke in DEFAULT_SERVICES)
    quoted = _yaml_scalar(kommune.strip())
    settings, people, readme = ((SETTINGS_TEMPLATE_NN, PEOPLE_TEMPLATE_NN, README_TEMPLATE_NN) if nn
                                else (SETTINGS_TEMPLATE, PEOPLE_TEMPLATE, README_TEMPLATE))
    files = {
        SETTINGS_FILE: settings.format(kommune=quoted, malform=malform, services=services, schemas=SCHEMA_DIR),
        PEOPLE_FILE: people.format(schemas=SCHEMA_DIR),
        "README.md": readme.format(kommune=kommune.strip()),
        ".gitignore": GITIGNORE,
        f"{CASES_DIR}/.gitkeep": "",
        "ci-eksempel/github-actions.yml": _in_malform(GITHUB_ACTIONS, malform),
        "ci-eksempel/gitlab-ci.yml": _in_malform(GITLAB_CI, malform),
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
    said.append(_("next: add your colleagues to personer.yaml, then 'stafett open --help'"))
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
