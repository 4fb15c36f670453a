"""Commands on levels files and rubrics: `spbe score`, `spbe advise`, `spbe rubric check|show`."""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from pathlib import Path

from spbe.cli.common import fail
from spbe.method.external import values_with_external
from spbe.method.formatting import decimal_text
from spbe.method.levels_file import LevelsFileError, read_external, read_levels
from spbe.method.rubric import (
    DEFAULT_RUBRIC_ID,
    Rubric,
    RubricError,
    available_rubrics,
    get_rubric,
    load_rubric,
    rubric_root,
)
from spbe.method.scoring import GroupScore, Score, ValueProblem, score

EXTERNAL_HELP = ("CSV 'indikator,indeks': indeks sumber untuk indikator yang dinilai dari indeks instansi lain "
                 "(mis. I05,68.75 untuk Indeks SDI); yang belum diisi dihitung nilai terendah")

def _line(label: str, group: GroupScore, width: int, suffix: str = "") -> str:
    if group.complete:
        shown = decimal_text(group.value)
    else:
        low, high = group.published_range
        shown = f"{decimal_text(low)}–{decimal_text(high)} ({group.answered}/{group.total} terisi)"
    return f"{label:<{width}} {shown}{suffix}"


def render_table(rubric: Rubric, result: Score) -> str:
    """A readable score table in Bahasa Indonesia, decimals with a comma."""
    meta = rubric.meta
    out = [f"Rubrik: {meta.id} — {meta.title} (versi {meta.version})"]
    if meta.provisional:
        out.append("Catatan: rubrik ini masih SEMENTARA (provisional); kriterianya belum dicocokkan dengan "
                   "lampiran regulasinya.")
    out.append(f"Indikator terisi: {result.answered} dari {result.overall.total}")
    labels = [f"{meta.index_name}"]
    labels += [f"{d.id} {d.name}" for d in meta.domains]
    labels += [f"  {a.id} {a.name}" for a in meta.aspects]
    width = max(len(x) for x in labels) + 2
    predikat = f"   Predikat: {result.predikat}" if result.predikat else "   Predikat: belum dapat ditentukan"
    out += ["", _line(meta.index_name, result.overall, width, predikat)]
    for d in meta.domains:
        out.append(_line(f"{d.id} {d.name}", result.domains[d.id], width))
        out += [_line(f"  {a.id} {a.name}", result.aspects[a.id], width) for a in rubric.aspects_of_domain(d.id)]
    if not meta.domains:
        out += [_line(f"  {a.id} {a.name}", result.aspects[a.id], width) for a in meta.aspects]
    if not result.complete:
        low, high = result.overall.published_range
        out += ["", f"Penilaian belum lengkap: indeks masih dapat bernilai {decimal_text(low)} sampai "
                    f"{decimal_text(high)} (indikator kosong dihitung tingkat {meta.values.min} s.d. {meta.values.max})."]
    return "\n".join(out)


def _read_values(args: argparse.Namespace, rubric: Rubric) -> tuple[dict[str, Decimal], list[str]]:
    """The levels file's values with external indicators filled from --external, and those still pending."""
    values = read_levels(args.levels, rubric)
    externals = read_external(args.external, rubric) if args.external else {}
    pending = sorted(rubric.external_ids - set(values) - set(externals))
    try:
        return values_with_external(rubric, values, externals), pending
    except ValueProblem as e:
        raise LevelsFileError(str(e)) from e


def cmd_score(args: argparse.Namespace) -> int:
    """Score a levels file and print a table or the JSON contract."""
    try:
        rubric = get_rubric(args.rubric)
        values, pending = _read_values(args, rubric)
    except (RubricError, LevelsFileError) as e:
        return fail(str(e))
    result = score(rubric, values)
    if args.json:
        import json

        print(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        print(render_table(rubric, result))
        if pending:
            lowest = decimal_text(Decimal(rubric.meta.values.min))
            print(f"\nIndeks eksternal belum diisi, dihitung {lowest}: {', '.join(pending)}.")
    return 0


def cmd_advise(args: argparse.Namespace) -> int:
    """Print the cheapest level upgrades reaching a target (or a yearly roadmap) as a table or JSON."""
    import datetime

    from spbe.method.advice import AdviceError, parse_target, plan, roadmap
    from spbe.method.effort_file import EffortFileError, read_efforts
    from spbe.method.scoring import ValueProblem, resolve_indicator
    from spbe.reports.advice_text import WIDTH, render_plan, render_roadmap

    if (args.target is None) == (args.roadmap is None):
        return fail("berikan tepat satu dari --target atau --roadmap")
    if args.start_year is not None and args.roadmap is None:
        return fail("--start-year hanya berlaku bersama --roadmap")
    if args.max_step is not None and (not args.max_step.strip().isdigit() or int(args.max_step) < 1):
        return fail(f"--max-step {args.max_step!r} harus bilangan bulat ≥ 1")
    if args.start_year is not None and not args.start_year.strip().isdigit():
        return fail(f"--start-year {args.start_year!r} harus tahun, mis. 2025")
    try:
        rubric = get_rubric(args.rubric)
        locked = {resolve_indicator(rubric, k) for k in (args.lock or "").split(",") if k.strip()}
    except RubricError as e:
        return fail(str(e))
    except ValueProblem as e:
        return fail(f"--lock: {e}")
    options = {"max_step": int(args.max_step) if args.max_step else None, "locked": locked}
    try:
        options["efforts"] = read_efforts(args.effort, rubric) if args.effort else {}
        values, _ = _read_values(args, rubric)
        unanswered = [i.id for i in rubric.indicators if i.id not in values]
        options["fixed"] = rubric.external_ids
        if args.target is not None:
            result = plan(rubric, values, parse_target(args.target), args.scope, **options)
        else:
            texts = args.roadmap.split(";" if ";" in args.roadmap else ",")
            start_year = int(args.start_year) if args.start_year else datetime.date.today().year
            years = roadmap(rubric, values, [parse_target(t) for t in texts], args.scope,
                            start_year=start_year, **options)
    except (LevelsFileError, EffortFileError, AdviceError) as e:
        return fail(str(e))
    if args.json:
        data = result.as_json() if args.target is not None else {"years": [y.as_json() for y in years]}
        import json

        print(json.dumps(data, ensure_ascii=False))
    else:
        import shutil

        width = shutil.get_terminal_size((WIDTH, 24)).columns
        if args.target is not None:
            print(render_plan(rubric, result, unanswered, width))
        else:
            print(render_roadmap(rubric, years, unanswered, width))
    return 0


def cmd_rubric_check(args: argparse.Namespace) -> int:
    """Validate one rubric folder, or every folder under the rubric root."""
    folders = [Path(args.dir)] if args.dir else [rubric_root() / r for r in available_rubrics()]
    status = 0
    for folder in folders:
        try:
            r = load_rubric(folder)
        except RubricError as e:
            print(f"GAGAL {e}", file=sys.stderr)
            status = 1
            continue
        print(f"OK {r.id} versi {r.meta.version}: {len(r.meta.domains)} domain, "
              f"{len(r.meta.aspects)} aspek, {len(r.indicators)} indikator")
    return status


def cmd_rubric_show(args: argparse.Namespace) -> int:
    """List a rubric's indicators with aspect, weight and scale."""
    try:
        r = get_rubric(args.id)
    except RubricError as e:
        return fail(str(e))
    print(f"{r.meta.id} — {r.meta.title} (versi {r.meta.version})")
    for a in r.meta.aspects:
        where = f"{a.domain} / " if a.domain else ""
        print(f"\n{where}{a.id} {a.name} (bobot {decimal_text(a.weight)} %)")
        for i in r.indicators_of_aspect(a.id):
            source = f"  [indeks eksternal: {i.external.source}]" if i.external else ""
            print(f"  {i.id}  {decimal_text(i.weight)} %  {r.meta.scales[i.scale].name:<26} {i.name}{source}")
    return 0


COMMANDS = ("score", "advise", "rubric")  # the commands `register` adds


def register(sub: argparse._SubParsersAction) -> None:
    """Add these commands to the `spbe` parser."""
    p = sub.add_parser("score", help="hitung indeks dari berkas nilai (CSV, JSON atau XLSX)")
    p.add_argument("levels", help="berkas nilai: CSV 'indikator,level' (atau 'indikator,nilai' dengan desimal, "
                                  "mis. I13,1.1667), JSON {\"I07\": 3} atau XLSX")
    p.add_argument("--rubric", default=DEFAULT_RUBRIC_ID, help="versi rubrik (bawaan: %(default)s)")
    p.add_argument("--external", help=EXTERNAL_HELP)
    p.add_argument("--json", action="store_true", help="cetak satu objek JSON")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("advise", help="kenaikan tingkat termurah untuk mencapai target indeks/domain/aspek")
    p.add_argument("levels", help="berkas nilai seperti untuk 'spbe score'; yang kosong dihitung tingkat 1")
    p.add_argument("--target", help="target nilai terpublikasi, mis. 2.6")
    p.add_argument("--roadmap", help="target per tahun, mis. 2.6,2.7,2.8 (berantai dari tahun ke tahun)")
    p.add_argument("--start-year", help="tahun pertama --roadmap (bawaan: tahun ini)")
    p.add_argument("--scope", default="index", help="index, domain (D1..D4) atau aspek (A1..A8)")
    p.add_argument("--max-step", help="kenaikan tingkat terbanyak per indikator (per tahun untuk --roadmap)")
    p.add_argument("--lock", help="indikator yang tidak boleh diubah, mis. I45,I46")
    p.add_argument("--effort", help="CSV 'indikator,level,effort': upaya naik ke tingkat itu (bawaan 1)")
    p.add_argument("--external", help=EXTERNAL_HELP)
    p.add_argument("--rubric", default=DEFAULT_RUBRIC_ID, help="versi rubrik (bawaan: %(default)s)")
    p.add_argument("--json", action="store_true", help="cetak satu objek JSON")
    p.set_defaults(func=cmd_advise)

    rub = sub.add_parser("rubric", help="periksa atau tampilkan rubrik").add_subparsers(dest="action", required=True)
    p = rub.add_parser("check", help="validasi folder rubrik")
    p.add_argument("dir", nargs="?", help="folder rubrik (bawaan: semua versi)")
    p.set_defaults(func=cmd_rubric_check)
    p = rub.add_parser("show", help="daftar indikator sebuah rubrik")
    p.add_argument("id", nargs="?", default=DEFAULT_RUBRIC_ID)
    p.set_defaults(func=cmd_rubric_show)
