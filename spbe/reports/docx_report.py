"""The editable report of an assessment (DOCX, python-docx), in Bahasa Indonesia, for either instrument.

What teams write each year from the tool's figures — the SPBE/Pemdi chapter of the LKJIP, the report to
the kepala daerah — as a Word document to edit rather than retype: cover, legal basis and method, the
result with tables and charts, every indicator with its level, explanation and evidence, the comparison
with last year and with the official result, the advisor's plan as recommendations and the LKJIP tables.
Headings use Word's built-in Heading 1–3 styles, so the navigation pane and the table of contents work.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table

from spbe.method import advice
from spbe.method.formatting import decimal_text
from spbe.method.lkjip import Realisasi
from spbe.method.scoring import GroupScore, Score
from spbe.reports import charts
from spbe.reports.advice_text import scope_label
from spbe.reports.lkjip_tables import Cell, Translate, tables
from spbe.services.report_data import ReportData
from spbe.store.models import Evidence, EvidenceKind

WIB = dt.timezone(dt.timedelta(hours=7), "WIB")
TOC_FIELD = 'TOC \\o "1-3" \\h \\z \\u'
TOC_HINT = "Daftar isi: di Word klik kanan di sini lalu pilih Perbarui Bidang (Update Field)."
LANGUAGE = "id-ID"
# Elements of w:settings that the schema puts after w:updateFields, in order.
SETTINGS_AFTER_UPDATE_FIELDS = ("hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids",
                                "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping")
TEXT_WIDTH, FIRST_COLUMN = 16.0, 5.0  # centimetres: A4 less 2,5 cm margins; a table's naming column


def figure(g: GroupScore) -> str:
    """'2,66', or the range '2,17–2,83' an incomplete group can still take."""
    low, high = g.published_range
    return decimal_text(low) if g.complete else f"{decimal_text(low)}–{decimal_text(high)}"


def _delta(now: GroupScore, before: GroupScore) -> str:
    """The change of the published value, signed ('+0,83'), or '–' unless both are complete."""
    if now.published is None or before.published is None:
        return "–"
    change = now.published - before.published
    return ("+" if change > 0 else "±" if change == 0 else "") + decimal_text(change)


def _value(value: Decimal | None) -> str:
    """An indicator value as written in Indonesian: 3, 1,1667; '–' when none."""
    return decimal_text(value, 4, trim=True)


def _date(day: dt.date) -> str:
    """A date as written on Indonesian documents: 01-03-2022."""
    return day.strftime("%d-%m-%Y")


def _table(doc: DocumentType, header: Sequence[str], rows: Sequence[Sequence[str]],
           widths: Sequence[float] | None = None) -> Table:
    """A bordered table with a bold header row repeated on every page; widths in centimetres."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    if widths is None:  # the first column names things: give it room, share the rest
        rest = (TEXT_WIDTH - FIRST_COLUMN) / (len(header) - 1)
        widths = [FIRST_COLUMN, *[rest] * (len(header) - 1)]
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)  # the grid (LibreOffice) and every cell (Word)
        for cell in column.cells:
            cell.width = Cm(width)
    doc.add_paragraph()
    return table


def _toc(doc: DocumentType) -> None:
    """A table-of-contents field over Heading 1–3, filled in when Word updates fields (asked on opening)."""
    run = doc.add_paragraph().add_run()
    for kind, text in (("begin", None), ("instr", TOC_FIELD), ("separate", None), ("text", TOC_HINT),
                       ("end", None)):
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        elif kind == "text":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings = doc.settings.element
    later = [settings.find(qn(f"w:{tag}")) for tag in SETTINGS_AFTER_UPDATE_FIELDS]
    found = [element for element in later if element is not None]
    if found:  # the schema's order: Word refuses settings out of sequence
        found[0].addprevious(update)
    else:
        settings.append(update)


def _language(doc: DocumentType) -> None:
    """Mark the text as Indonesian, so Word checks spelling in the right language."""
    rpr = doc.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), LANGUAGE)
    rpr.append(lang)
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(11)


def _cover(doc: DocumentType, d: ReportData) -> None:
    """The cover page, then the table of contents on its own page."""
    meta = d.rubric.meta
    for _ in range(6):
        doc.add_paragraph()
    title = doc.add_paragraph(style="Title")
    title.add_run(f"Laporan Penilaian Mandiri {meta.index_name}")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text, size in ((d.instansi.name, 20), (f"Tahun {d.assessment.year}", 16)):
        line = doc.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = line.add_run(text)
        run.bold, run.font.size = True, Pt(size)
    doc.add_paragraph()
    status = "sudah diserahkan" if d.assessment.status == "submitted" else "draf"
    for text in (f"Rubrik: {meta.title}, versi {meta.version} ({meta.id})",
                 f"Status penilaian: {status}",
                 f"Disusun {dt.datetime.now(WIB).strftime('%d-%m-%Y %H:%M')} WIB dengan spbe"):
        doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.CENTER
    if meta.provisional:
        note = doc.add_paragraph("SEMENTARA: rubrik ini belum final; kriteria dan bobot dapat berubah.")
        note.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_heading("Daftar Isi", level=1)
    _toc(doc)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _method(doc: DocumentType, d: ReportData) -> None:
    """Chapter 1: the regulations, how values are computed and rounded, the predikat bands."""
    meta = d.rubric.meta
    doc.add_heading("1 Dasar Hukum dan Metode", level=1)
    doc.add_heading("1.1 Dasar hukum", level=2)
    for regulation in meta.regulations:
        doc.add_paragraph(regulation, style="List Bullet")
    doc.add_heading("1.2 Metode penilaian", level=2)
    groups = "domain, aspek" if meta.domains else "aspek"
    doc.add_paragraph(
        f"Penilaian mandiri menilai {len(d.rubric.indicators)} indikator pada skala {meta.values.min}–"
        f"{meta.values.max}. Nilai {groups} dan {meta.index_name} adalah rata-rata tertimbang nilai "
        "indikator "
        "(Σ bobot × nilai / Σ bobot) dari nilai yang belum dibulatkan; angka yang dipublikasikan dibulatkan "
        "setengah ke atas menjadi dua desimal, dan predikat ditentukan dari angka itu:")
    bands = sorted(meta.bands, key=lambda b: b.min)
    rows = []
    for n, band in enumerate(bands):
        upper = f"< {decimal_text(bands[n + 1].min)}" if n + 1 < len(bands) else f"≤ {decimal_text(band.max)}"
        rows.append((band.name, f"{decimal_text(band.min)} ≤ indeks {upper}"))
    _table(doc, ("Predikat", "Rentang indeks"), rows, (5, 6))
    if d.rubric.external_ids:
        doc.add_paragraph("Indikator " + ", ".join(sorted(d.rubric.external_ids)) + " dinilai dari indeks "
                          "instansi pembina (bukan penilaian mandiri); yang belum diketahui dihitung "
                          f"{decimal_text(Decimal(meta.values.min))}.")


def _groups(d: ReportData, result: Score) -> list[tuple[str, str, GroupScore]]:
    """(label, weight, group) of the index, the domains and the aspects."""
    meta = d.rubric.meta
    rows = [(meta.index_name, "100 %", result.overall)]
    for group, parts in ((result.domains, meta.domains), (result.aspects, meta.aspects)):
        rows += [(f"{x.id} {x.name}", f"{decimal_text(x.weight, 1)} %", group[x.id]) for x in parts]
    return rows


def _result(doc: DocumentType, d: ReportData) -> None:
    """Chapter 2: index and predikat (or the range), domain and aspect tables, the charts as PNG."""
    meta, s = d.rubric.meta, d.score
    doc.add_heading("2 Hasil Penilaian", level=1)
    summary = doc.add_paragraph()
    summary.add_run(f"{meta.index_name} {d.instansi.name} tahun {d.assessment.year}: ")
    summary.add_run(figure(s.overall)).bold = True
    if s.predikat:
        summary.add_run(", predikat ")
        summary.add_run(s.predikat).bold = True
        summary.add_run(".")
    else:
        low, high = (d.rubric.predikat(x) for x in s.overall.published_range)
        summary.add_run(f" (belum lengkap: {s.answered} dari {s.overall.total} indikator terisi; predikat "
                        f"{low if low == high else f'{low}–{high}'}).")
    header = ("Komponen", "Bobot", "Nilai", "Terjawab")
    if meta.domains:
        doc.add_heading("2.1 Nilai per domain", level=2)
        _table(doc, header, [(f"{x.id} {x.name}", f"{decimal_text(x.weight, 1)} %", figure(s.domains[x.id]),
                              f"{s.domains[x.id].answered}/{s.domains[x.id].total}") for x in meta.domains],
               (8, 2.5, 2.5, 2.5))
    doc.add_heading(f"2.{2 if meta.domains else 1} Nilai per aspek", level=2)
    _table(doc, header, [(f"{x.id} {x.name}", f"{decimal_text(x.weight, 1)} %", figure(s.aspects[x.id]),
                          f"{s.aspects[x.id].answered}/{s.aspects[x.id].total}") for x in meta.aspects],
           (8, 2.5, 2.5, 2.5))
    doc.add_heading(f"2.{3 if meta.domains else 2} Grafik", level=2)
    for draw, caption in ((charts.aspects_figure, "Nilai per aspek terhadap target"),
                          (charts.domains_figure, "Nilai per domain" if meta.domains else "Nilai per aspek")):
        doc.add_picture(io.BytesIO(charts.render(draw, d.rubric, s, "png")), width=Cm(15))
        doc.add_paragraph(caption, style="Caption")


def _comparison(doc: DocumentType, d: ReportData) -> None:
    """Chapter 3: last year's assessment on the same rubric, and KemenPANRB's official values."""
    doc.add_heading("3 Perbandingan", level=1)
    doc.add_heading("3.1 Dengan tahun sebelumnya", level=2)
    if d.previous is None or d.previous_score is None:
        doc.add_paragraph("Belum ada penilaian tahun sebelumnya dengan rubrik yang sama.")
    else:
        pairs = zip(_groups(d, d.score), _groups(d, d.previous_score), strict=True)
        _table(doc, ("Komponen", str(d.previous.year), str(d.assessment.year), "Selisih"),
               [(name, figure(before), figure(now), _delta(now, before))
                for (name, _, now), (_, _, before) in pairs],
               (8.5, 2.5, 2.5, 2.5))
    doc.add_heading("3.2 Dengan nilai akhir resmi (KemenPANRB)", level=2)
    if d.official_score is None:
        doc.add_paragraph("Nilai akhir resmi belum diisi. Setelah hasil evaluasi terbit, isi di halaman "
                          "Nilai "
                          "akhir resmi; bagian ini lalu membandingkannya dengan penilaian mandiri.")
        return
    pairs = zip(_groups(d, d.score), _groups(d, d.official_score), strict=True)
    _table(doc, ("Komponen", "Penilaian mandiri", "Nilai akhir resmi", "Selisih"),
           [(name, figure(own), figure(official), _delta(official, own))
            for (name, _, own), (_, _, official) in pairs], (7.5, 3, 3, 2.5))
    lowered = [i for i, a in d.answers.items() if a.value is not None and a.official_value is not None
               and a.official_value < a.value]
    if lowered:
        doc.add_paragraph("Diturunkan asesor: " + ", ".join(sorted(lowered)) + ".")


def _evidence_line(item: Evidence) -> str:
    """'Perwal 12/2022 — nomor 12/2022, 01-03-2022, berkas perwal.pdf, tingkat 3'."""
    parts = [item.title]
    if item.doc_number:
        parts.append(f"nomor {item.doc_number}")
    if item.doc_date:
        parts.append(_date(item.doc_date))
    is_file = item.kind == EvidenceKind.FILE
    parts.append(f"berkas {item.original_filename}" if is_file else f"tautan {item.url}")
    if item.level_list:
        parts.append("tingkat " + ", ".join(map(str, item.level_list)))
    if item.internal:
        parts.append("internal, tidak untuk asesor")
    return " — ".join(parts[:1]) + (": " + ", ".join(parts[1:]) if parts[1:] else "")


def _indicators(doc: DocumentType, d: ReportData) -> None:
    """Chapter 4: per aspect, every indicator with its value, level, explanation and evidence."""
    doc.add_heading("4 Rincian per Indikator", level=1)
    for aspect in d.rubric.meta.aspects:
        where = f"{aspect.domain} / " if aspect.domain else ""
        doc.add_heading(f"{where}{aspect.id} {aspect.name}", level=2)
        for ind in d.rubric.indicators_of_aspect(aspect.id):
            answer = d.answers.get(ind.id)
            value = answer.value if answer else None
            doc.add_heading(f"{ind.id} {ind.name}", level=3)
            level = int(value) if value is not None and int(value) in ind.levels else None
            named = f" — tingkat {level} {d.rubric.level_name(ind, level)}" if level is not None else ""
            line = doc.add_paragraph()
            line.add_run("Nilai: ").bold = True
            line.add_run(f"{_value(value)}{named}" if value is not None else "belum diisi")
            facts = [("Nilai akhir resmi", _value(answer.official_value if answer else None)),
                     ("Target", _value(answer.target_value if answer else None)),
                     ("Unit penanggung jawab", (answer.responsible_unit if answer else "") or "–")]
            if d.previous is not None:
                facts.insert(0, (f"Nilai {d.previous.year}", _value(d.previous_values.get(ind.id))))
            for label, text in facts:
                row = doc.add_paragraph()
                row.add_run(f"{label}: ").bold = True
                row.add_run(text)
            explanation = doc.add_paragraph()
            explanation.add_run("Penjelasan: ").bold = True
            explanation.add_run((answer.explanation if answer else "") or "–")
            items = d.evidence.get(ind.id, [])
            if ind.external is not None:
                doc.add_paragraph(f"Dinilai dari {ind.external.source} ({ind.external.agency}); tidak "
                                  "memerlukan data dukung.")
            elif not items:
                doc.add_paragraph("Data dukung: belum ada.")
            else:
                doc.add_paragraph("Data dukung:")
                for item in items:
                    doc.add_paragraph(_evidence_line(item), style="List Bullet")


def _recommendations(doc: DocumentType, d: ReportData) -> None:
    """Chapter 5: the advisor's cheapest plan toward the target, as sentences and a table."""
    doc.add_heading("5 Rekomendasi", level=1)
    if d.target is None or d.plan is None:
        doc.add_paragraph(f"{d.rubric.meta.index_name} sudah berada di predikat tertinggi; pertahankan.")
        return
    plan, rubric = d.plan, d.rubric
    doc.add_paragraph(
        f"Sasaran: {scope_label(rubric, plan.scope)} {decimal_text(d.target.value)} ({d.target.source}). "
        f"Rencana di bawah adalah kenaikan tingkat dengan upaya terkecil (penasihat spbe) dari nilai sekarang "
        f"{decimal_text(plan.value_before)}.")
    if d.unanswered:
        doc.add_paragraph("Indikator yang belum dijawab dihitung tingkat 1: " + ", ".join(d.unanswered) + ".")
    if not plan.reachable:
        doc.add_paragraph(f"Sasaran itu tidak dapat dicapai; rencana ini mencapai nilai tertinggi "
                          f"{decimal_text(plan.max_value)}.")
    moves = advice.moves(plan)
    for move in moves:
        name = rubric.indicator_by_id[move.indikator].name
        doc.add_paragraph(f"Naikkan {name} ({move.indikator}) dari tingkat {_value(move.start)} ke tingkat "
                          f"{move.to} "
                          f"(menambah {decimal_text(move.gain, 4)} pada indeks).", style="List Number")
    if moves:
        _table(doc, ("Indikator", "Nama", "Dari → Ke", "Tambahan", "Upaya"),
               [(m.indikator, rubric.indicator_by_id[m.indikator].name, f"{_value(m.start)} → {m.to}",
                 "+" + decimal_text(m.gain, 4), _value(m.effort)) for m in moves],
               (2.2, 7.2, 2.2, 2.6, 1.8))
        after = decimal_text(plan.value_after)
        doc.add_paragraph(f"Setelah rencana: {after}, predikat {rubric.predikat(plan.published_after)}; "
                          f"{len(moves)} indikator, {len(plan.steps)} kenaikan tingkat, total upaya "
                          f"{_value(plan.total_effort)}.")


def _lkjip_cell(cell: Cell, t: Translate) -> str:
    """A cell of an LKJIP table as the page shows it: '2,00 resmi', '76,92', 'Tinggi', '–'."""
    if cell is None:
        return "–"
    if isinstance(cell, str):
        return cell
    if isinstance(cell, Realisasi):
        return f"{decimal_text(cell.value)} {t('lk.mark.official' if cell.official else 'lk.mark.self')}"
    return decimal_text(cell)


def _lkjip(doc: DocumentType, d: ReportData, t: Translate) -> None:
    """Chapter 6: the LKJIP tables 3.2–3.5, as the LKJIP page shows them."""
    doc.add_heading("6 Tabel LKJIP", level=1)
    doc.add_paragraph("Tabel berikut siap disalin ke bab capaian kinerja LKJIP. Realisasi memakai nilai "
                      "akhir "
                      "resmi bila lengkap, selain itu nilai penilaian mandiri (ditandai).")
    for table in tables(d.lkjip, t):
        doc.add_heading(table.title, level=2)
        _table(doc, [header for _, header in table.columns],
               [[_lkjip_cell(cells.get(key), t) for key, _ in table.columns] for _, cells in table.rows])


def report_docx(d: ReportData, t: Translate) -> bytes:
    """The report as DOCX bytes; `t` gives the LKJIP tables' Indonesian headers (the web's catalog)."""
    doc = Document()
    _language(doc)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4
    section.left_margin = section.right_margin = Cm(2.5)
    doc.core_properties.title = f"Laporan Penilaian Mandiri {d.rubric.meta.index_name} {d.instansi.name} " \
                                f"{d.assessment.year}"
    doc.core_properties.language = LANGUAGE
    _cover(doc, d)
    _method(doc, d)
    _result(doc, d)
    _comparison(doc, d)
    _indicators(doc, d)
    _recommendations(doc, d)
    _lkjip(doc, d, t)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
