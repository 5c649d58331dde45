"""Generate a case folder of N synthetic cases of realistic size (~16-20 KB each).

Each case has ~30 log entries, 10 tiltak with evaluations, 6 meetings with referat, and the comments a
coordinator writes. All people are invented. Usage: python bench/gen_cases.py DIR N
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

SETTINGS = """\
kommune: Benkvik
malform: nb
tjenester:
  - id: barnehage
    navn: Barnehage
    fagsystem: vigilo
  - id: skole
    navn: Skole
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
WORDS = ("barnet trives bedre i gruppa og viser mer initiativ i lek samtale med mor og far om søvn og rutiner "
         "kontaktlærer melder om ro i timene helsesykepleier følger opp vekt og matlyst PPT observerer språk "
         "og samspill avtalt ny samtale etter høstferien foresatte opplever bedring hjemme").split()


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return (" ".join(words)).capitalize() + "."


def people() -> str:
    out = ["personer:"]
    for n, pid in enumerate(STAFF):
        first, last = pid.split(".")
        out += [f"  - id: {pid}", f"    navn: {first.capitalize()} {last.capitalize()}", "    stilling: rådgiver",
                f"    tjeneste: {SERVICES[n % 4]}", "    leder: hans.lie" if pid != "hans.lie" else "    roller: [leder]"]
    return "\n".join(out) + "\n"


def case(rng: random.Random, n: int, today: dt.date | None = None) -> tuple[str, str]:
    # Dates relative to today: fixed years made every evaluation overdue (and every file slow) once passed.
    today = today or dt.date.today()
    start = today - dt.timedelta(days=330 + rng.randrange(300))
    cid = f"S-{start:%Y%m%d}-{n:06d}"
    holder = rng.choice(STAFF[:6])
    lines = [
        "# yaml-language-server: $schema=../schemas/sak.schema.json",
        f"# Sak {n}: syntetisk testsak (oppdiktet)",
        "versjon: 2", f"id: {cid}", f"opprettet: {start}", "niva: 2  # to tjenester samarbeider",
        "hovedperson:", f"  navn: Barn Nummer{n}", "  kategori: barn", f"  fodselsdato: {start.year - 8}-0{rng.randrange(1, 9)}-1{rng.randrange(0, 9)}",
        "", "foresatte:", "  - id: f-mor", "    navn: Mor Testesen", "    relasjon: mor",
        "  - id: f-far", "    navn: Far Testesen", "    relasjon: far",
        "", "# Undringen slik den ble meldt", "bekymring:", f"  dato: {start}", f"  meldt_av: {holder}",
        f"  beskrivelse: {sentence(rng, 25)}", f"eier: {holder}",
        "stafettholder:", f"  person: {holder}", f"  fra: {start + dt.timedelta(days=3)}", "  oppnevnt_av: hans.lie",
        "samtykker:", "  - id: s-1", "    gitt_av: f-mor", f"    dato: {start + dt.timedelta(days=3)}",
        "    omfang: [stafettlogg, barnehage, skole, helsestasjon, ppt]", "    form: skriftlig", f"    registrert_av: {holder}",
        "deltakere:",
    ]
    for m, svc in enumerate(SERVICES):
        lines += [f"  - person: {STAFF[m]}", f"    tjeneste: {svc}", f"    fra: {start + dt.timedelta(days=4)}"]
    lines += ["mal:", "  - id: m-1", f"    tekst: {sentence(rng, 12)}", "  - id: m-2", f"    tekst: {sentence(rng, 12)}", "", "# Tiltak", "tiltak:"]
    for t in range(10):
        tstart = start + dt.timedelta(days=5 + t * 7)
        lines += [f"  - id: t-{t:02d}", f"    beskrivelse: {sentence(rng, 14)}", "    mal: [m-1]", f"    ansvarlig: {rng.choice(STAFF)}",
                  f"    start: {tstart}", f"    evalueres: {today + dt.timedelta(days=30 + t)}", "    evalueringer:"]
        for e in range(2):
            lines += [f"      - dato: {tstart + dt.timedelta(days=30 * (e + 1))}", f"        av: {holder}",
                      "        utfall: effekt men ikke i mål", f"        vurdering: {sentence(rng, 16)}",
                      f"        barnets_syn: {sentence(rng, 8)}"]
    lines += ["", "moter:"]
    for m in range(6):
        when = dt.datetime.combine(start + dt.timedelta(days=20 + 40 * m), dt.time(14, 0))
        lines += [f"  - id: mo-{m}", "    type: samarbeidsmøte", f"    nummer: {m + 1}", f"    tidspunkt: {when:%Y-%m-%d %H:%M:%S}",
                  "    sted: Møterom 2", f"    leder: {holder}", f"    referent: {STAFF[1]}", f"    innkalt: [{holder}, {STAFF[1]}, f-mor]",
                  "    dagsorden:", "      - Status siden sist", "      - Tiltak", "      - Veien videre",
                  "    referat:", f"      skrevet: {when.date()}", f"      skrevet_av: {STAFF[1]}", f"      tilstede: [{holder}, {STAFF[1]}, f-mor]",
                  "      notater:"]
        for p in ("Status siden sist", "Tiltak", "Veien videre"):
            lines += [f"        - punkt: {p}", f"          notat: {sentence(rng, 12)}"]
        lines += ["      beslutninger:", f"        - {sentence(rng, 10)}", "      oppgaver:",
                  f"        - id: o-{m}{cid[-5:]}", f"          tekst: {sentence(rng, 8)}", f"          ansvarlig: {holder}", f"          frist: {when.date() + dt.timedelta(days=14)}",
                  f"      barnets_stemme: {sentence(rng, 12)}", "      kopi_til: [f-mor, f-far]"]
    lines += ["", "# Loggen: nyeste nederst", "logg:"]
    t0 = dt.datetime.combine(start, dt.time(8, 0))
    for m in range(30):
        kind = ["kontakt", "notat", "lysglimt", "tiltak"][m % 4]
        lines += [f"  - tid: {t0 + dt.timedelta(days=m * 7, minutes=m):%Y-%m-%d %H:%M:%S}", f"    av: {rng.choice(STAFF)}",
                  f"    type: {kind}", f"    tekst: {sentence(rng, 14)}"] + (["    med: [foresatte]"] if kind == "kontakt" else [])
    return cid, "\n".join(lines) + "\n"


def generate(root: Path, count: int, seed: int = 7, today: dt.date | None = None) -> Path:
    from stafett import schema

    rng = random.Random(seed)
    (root / "saker").mkdir(parents=True, exist_ok=True)
    (root / "stafett.yaml").write_text(SETTINGS, encoding="utf-8")
    (root / "personer.yaml").write_text(people(), encoding="utf-8")
    schema.write(root / "schemas")
    for n in range(count):
        cid, text = case(rng, n, today)
        (root / "saker" / f"{cid}.yaml").write_text(text, encoding="utf-8")
    return root


if __name__ == "__main__":
    generate(Path(sys.argv[1]), int(sys.argv[2]))
