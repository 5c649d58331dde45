"""A corpus of case files the way people write them, by file class, so the bench cannot be tuned to one.

bench/gen_cases.py writes what stafett itself writes ("plain"). People also comment between list items,
write `|` and `>` block scalars, quote some strings and not others, use flow lists, æøå, *kursiv* and
«sitater», save with CRLF or a BOM, and let deadlines pass. Every file is a valid case for the model; the
"error" class has exactly one error and the "warnings" class many warnings. Dates are relative to `today`
so the figures mean the same whenever the bench runs. All people are invented.

    python bench/corpus.py DIR N [--today YYYY-MM-DD] [--classes plain,hand,...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

SETTINGS = """\
# yaml-language-server: $schema=schemas/stafett.schema.json
versjon: 2
kommune: Benkvik kommune
malform: nb
tjenester:
  - id: barnehage
    navn: Barnehagene i Benkvik
    fagsystem: vigilo
  - id: skole
    navn: Skolene i Benkvik
    fagsystem: vigilo
  - id: helsestasjon
    navn: Helsestasjon
    fagsystem: infodoc
  - id: ppt
    navn: PPT
    fagsystem: hk-oppvekst
  - id: koordinerende-enhet
    navn: Koordinerende enhet
    fagsystem: profil
    koordinerende_enhet: true
"""

STAFF = ["ada.berg", "bo.dahl", "cato.eng", "dina.fjeld", "eli.gran", "finn.haug", "gro.aas", "hans.lie"]
SERVICES = ["barnehage", "skole", "helsestasjon", "ppt"]
FIRST = ["Åse", "Ørjan", "Æsa", "Håkon", "Bjørn", "Sølvi", "Kåre", "Tøri", "Mia", "Jonas", "Nora", "Emil", "Linnéa", "Ødin"]
LAST = ["Østby", "Ærø", "Håland", "Bråten", "Sæther", "Kvålsvoll", "Løkken", "Nordvik", "Strand", "Fjellheim"]
WORDS = ("barnet trives bedre i gruppa og viser mer initiativ i lek samtale med mor og far om søvn og rutiner "
         "kontaktlærer melder om ro i timene helsesykepleier følger opp vekt og matlyst PPT observerer språk "
         "og samspill avtalt ny samtale etter høstferien foresatte opplever bedring hjemme").split()
# What hand-written text holds that generated text does not: emphasis, quotes, times, percentages, dashes.
SPICE = ["*kursiv*", "**viktig**", "«det går bra»", "kl. 14.00", "50 %", "(PPT)", "– altså", "på 2. trinn",
         "mor sa: nei", "5 * 3", "Per & Kari", "både/og", "ca. 3 t", "æøå ÆØÅ", "'sitat'", "e-post", "#hashtag"]

CLASSES = ("plain", "commented", "block", "quoting", "flow", "aeoa", "crlf", "bom", "hand", "overdue")
# The folder the bench calls "valid": every class above, in equal shares. "error" and "warnings" are mixed in.
EXTRA = ("error", "warnings")


@dataclass(frozen=True)
class Style:
    comments: bool = False
    blocks: bool = False
    quoting: bool = False
    flow: bool = False
    spice: bool = False
    crlf: bool = False
    bom: bool = False
    overdue: int = 0     # tiltak whose evaluation date has passed (T002 warnings)
    unreferated: int = 0  # past meetings without referat (M001 warnings)
    error: bool = False


STYLES = {
    "plain": Style(),
    "commented": Style(comments=True),
    "block": Style(blocks=True),
    "quoting": Style(quoting=True),
    "flow": Style(flow=True),
    "aeoa": Style(spice=True),
    "crlf": Style(crlf=True),
    "bom": Style(bom=True),
    "hand": Style(comments=True, blocks=True, quoting=True, flow=True, spice=True, crlf=True, bom=True),
    "overdue": Style(overdue=2),
    "error": Style(comments=True, quoting=True, error=True),
    "warnings": Style(comments=True, blocks=True, overdue=10, unreferated=2),
}


class Writer:
    def __init__(self, rng: random.Random, style: Style) -> None:
        self.rng, self.style, self.lines = rng, style, []

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def words(self, n: int) -> str:
        words = [self.rng.choice(WORDS) for _ in range(n)]
        if self.style.spice:
            for _ in range(max(1, n // 8)):
                words.insert(self.rng.randrange(1, len(words)), self.rng.choice(SPICE))
        return " ".join(words).capitalize() + "."

    def comment(self, indent: str) -> None:
        if self.style.comments and self.chance(0.35):
            if self.chance(0.3):
                self.lines.append("")
            self.lines.append(f"{indent}# {self.words(self.rng.randrange(4, 10))[:-1]}")

    def scalar(self, indent: str, key: str, value: str, trailing: bool = True) -> None:
        note = f"  # {self.rng.choice(['sjekket', 'rettet av mor', 'se Vigilo', 'OK'])}" \
            if trailing and self.style.comments and self.chance(0.08) else ""
        self.lines.append(f"{indent}{key}: {value}{note}")

    def text(self, indent: str, key: str, n: int) -> None:
        """A free-text value in one of the forms people write."""
        value = self.words(n)
        if self.style.blocks and self.chance(0.5):
            head = self.rng.choice(["|", ">", "|-", ">-"])
            self.lines.append(f"{indent}{key}: {head}")
            body = value.split(" ")
            for at in range(0, len(body), 12):
                self.lines.append(f"{indent}  {' '.join(body[at:at + 12])}")
            return
        if self.style.quoting and self.chance(0.5):
            if self.chance(0.5):
                value = "'" + value.replace("'", "''") + "'"
            else:
                value = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        elif any(bad in value for bad in (": ", " #", "'", '"')) or value[0] in "*&!%@`|>{[":
            value = "'" + value.replace("'", "''") + "'"
        self.scalar(indent, key, value)

    def ids(self, indent: str, key: str, items: list[str]) -> None:
        if self.style.flow or not self.style.comments and len(items) <= 3 and self.chance(0.5):
            self.lines.append(f"{indent}{key}: [{', '.join(items)}]")
        else:
            self.lines.append(f"{indent}{key}:")
            self.lines += [f"{indent}  - {item}" for item in items]


def _leap_birthday(rng: random.Random, today: dt.date) -> dt.date:
    year = today.year - rng.randrange(6, 15)
    while not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        year -= 1
    return dt.date(year, 2, 29)


def case(rng: random.Random, n: int, today: dt.date, klass: str) -> tuple[str, bytes]:
    style = STYLES[klass]
    w = Writer(rng, style)
    L = w.lines
    start = today - dt.timedelta(days=rng.randrange(330, 400))
    cid = f"S-{start:%Y%m%d}-{n:06d}"
    holder = rng.choice(STAFF[:6])
    born = _leap_birthday(rng, today) if style.spice and rng.random() < 0.3 else \
        start - dt.timedelta(days=365 * rng.randrange(5, 14) + rng.randrange(365))
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    L += ["# yaml-language-server: $schema=../schemas/sak.schema.json", f"# Sak {n}: oppdiktet testsak ({klass})",
          "versjon: 2", f"id: {cid}", f"opprettet: {start}", "status: aktiv"]
    w.scalar("", "niva", "7" if style.error and n % 3 == 0 else "2")
    L += ["", "hovedperson:"]
    w.scalar("  ", "navn", f"'{name}'" if style.quoting and w.chance(0.5) else name)
    L += ["  kategori: barn", f"  fodselsdato: {born}", "", "foresatte:"]
    for fid, rel in (("f-mor", "mor"), ("f-far", "far")):
        w.comment("  ")
        L += [f"  - id: {fid}", f"    navn: {rng.choice(FIRST)} {name.split()[1]}", f"    relasjon: {rel}", "    foreldreansvar: true"]
    L += ["", "bekymring:", f"  dato: {start}", f"  meldt_av: {holder}"]
    w.text("  ", "beskrivelse", 30)
    if style.error and n % 3 == 1:
        L.append("  beskrivlese: skrivefeil i nøkkelen")
    L += [f"eier: {holder}", "", "stafettholder:", f"  person: {holder}", f"  fra: {start + dt.timedelta(days=3)}",
          "  oppnevnt_av: hans.lie", "", "samtykker:", "  - id: s-1", "    gitt_av: f-mor", f"    dato: {start + dt.timedelta(days=3)}"]
    w.ids("    ", "omfang", ["stafettlogg", *SERVICES])
    # Both parents with foreldreansvar have signed: a valid case carries no consent warning (C101).
    L += ["    form: skriftlig", f"    registrert_av: {holder}", "    medsignaturer:", "      - av: f-far",
          f"        dato: {start + dt.timedelta(days=3)}", "        form: skriftlig", f"        registrert_av: {holder}", "",
          "deltakere:"]
    for m, svc in enumerate(SERVICES):
        w.comment("  ")
        L += [f"  - person: {STAFF[m]}", f"    tjeneste: {svc}", f"    fra: {start + dt.timedelta(days=4)}"]
    L += ["", "mal:"]
    for m in (1, 2):
        L.append(f"  - id: m-{m}")
        w.text("    ", "tekst", 14)
    L += ["", "# Tiltak", "tiltak:"]
    for t in range(10):
        w.comment("  ")
        tstart = start + dt.timedelta(days=5 + t * 7)
        due = today - dt.timedelta(days=1 + t) if t < style.overdue else today + dt.timedelta(days=rng.randrange(7, 120))
        L.append(f"  - id: t-{t:02d}")
        w.text("    ", "beskrivelse", 12)
        w.ids("    ", "mal", ["m-1"] if t % 2 else ["m-1", "m-2"])
        who = "ola.ukjent" if style.error and n % 3 == 2 and t == 4 else rng.choice(STAFF)
        L += [f"    ansvarlig: {who}", f"    start: {tstart}", f"    evalueres: {due}", "    evalueringer:"]
        for e in range(2):
            w.comment("      ")
            L += [f"      - dato: {tstart + dt.timedelta(days=30 * (e + 1))}", f"        av: {holder}",
                  "        utfall: effekt men ikke i mål"]
            w.text("        ", "vurdering", 12)
            w.text("        ", "barnets_syn", 8)
    L += ["", "moter:"]
    for m in range(6):
        w.comment("  ")
        when = dt.datetime.combine(start + dt.timedelta(days=20 + 40 * m), dt.time(14, 0))
        L += [f"  - id: mo-{m}", "    type: samarbeidsmøte", f"    nummer: {m + 1}", f"    tidspunkt: {when:%Y-%m-%d %H:%M:%S}",
              "    sted: Møterom 2", f"    leder: {holder}", f"    referent: {STAFF[1]}"]
        w.ids("    ", "innkalt", [holder, STAFF[1], "f-mor"])
        L += ["    dagsorden:", "      - Status siden sist", "      - Tiltak", "      - Veien videre"]
        if m < style.unreferated:
            continue
        L += ["    referat:", f"      skrevet: {when.date()}", f"      skrevet_av: {STAFF[1]}"]
        w.ids("      ", "tilstede", [holder, STAFF[1], "f-mor"])
        L.append("      notater:")
        for p in ("Status siden sist", "Tiltak", "Veien videre"):
            L.append(f"        - punkt: {p}")
            w.text("          ", "notat", 9)
        L += ["      beslutninger:", f"        - {w.words(10)}" if not w.style.spice else f"        - '{w.words(10).replace(chr(39), chr(39) * 2)}'",
              "      oppgaver:", f"        - id: o-{n:04d}{m}", f"          tekst: {w.words(8).replace(': ', ' ').replace(' #', ' ')}",
              f"          ansvarlig: {holder}", f"          frist: {when.date() + dt.timedelta(days=14)}"]
        w.text("      ", "barnets_stemme", 12)
        w.ids("      ", "kopi_til", ["f-mor", "f-far"])
    L += ["", "# Loggen: nyeste nederst", "logg:"]
    t0 = dt.datetime.combine(start, dt.time(8, 0))
    for m in range(30):
        w.comment("  ")
        kind = ["kontakt", "notat", "lysglimt", "tiltak"][m % 4]
        L += [f"  - tid: {t0 + dt.timedelta(days=m * 9, minutes=m):%Y-%m-%d %H:%M:%S}", f"    av: {rng.choice(STAFF)}",
              f"    type: {kind}"]
        w.text("    ", "tekst", 11)
        if kind == "kontakt":
            w.ids("    ", "med", ["foresatte"])
    text = "\n".join(L) + "\n"
    if style.crlf:
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    return cid, (b"\xef\xbb\xbf" + data if style.bom else data)


def people() -> str:
    out = ["# yaml-language-server: $schema=schemas/personer.schema.json", "versjon: 2", "personer:"]
    for n, pid in enumerate(STAFF):
        first, last = pid.split(".")
        out += [f"  - id: {pid}", f"    navn: {first.capitalize()} {last.capitalize()}", "    stilling: rådgiver",
                f"    tjeneste: {SERVICES[n % 4]}", "    leder: hans.lie" if pid != "hans.lie" else "    roller: [leder]"]
    return "\n".join(out) + "\n"


def plan(count: int, classes: tuple[str, ...] = CLASSES, error_share: float = 0.0,
         warning_share: float = 0.0) -> list[str]:
    """The class of each file: the classes in turn, with the given shares of "error" and "warnings" files."""
    out = []
    for n in range(count):
        if error_share and (n * 97) % 100 < error_share * 100:
            out.append("error")
        elif warning_share and (n * 89) % 100 < warning_share * 100:
            out.append("warnings")
        else:
            out.append(classes[n % len(classes)])
    return out


def generate(root: Path, count: int, today: dt.date, *, classes: tuple[str, ...] = CLASSES, error_share: float = 0.0,
             warning_share: float = 0.0, seed: int = 15) -> dict[str, list[Path]]:
    """A case folder; returns the files written, by class."""
    from stafett import schema

    rng = random.Random(seed)
    (root / "saker").mkdir(parents=True, exist_ok=True)
    (root / "stafett.yaml").write_text(SETTINGS, encoding="utf-8")
    (root / "personer.yaml").write_text(people(), encoding="utf-8")
    schema.write(root / "schemas")
    by_class: dict[str, list[Path]] = {}
    for n, klass in enumerate(plan(count, classes, error_share, warning_share)):
        cid, data = case(rng, n, today, klass)
        path = root / "saker" / f"{cid}.yaml"
        path.write_bytes(data)
        by_class.setdefault(klass, []).append(path)
    return by_class


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("n", type=int)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today())
    parser.add_argument("--classes", default=",".join(CLASSES))
    parser.add_argument("--errors", type=float, default=0.0, help="share of files with one error (0.05)")
    args = parser.parse_args()
    made = generate(args.dir, args.n, args.today, classes=tuple(args.classes.split(",")), error_share=args.errors)
    print(", ".join(f"{k}: {len(v)}" for k, v in made.items()))
