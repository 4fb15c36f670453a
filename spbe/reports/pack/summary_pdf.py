"""ringkasan.pdf: index and predikat (or their range), domain and aspect values, charts, year on year, gaps.

Drawn with fpdf2 in the PDF's own Helvetica when every text is in its Windows-1252 range (Indonesian with
'–', '—', '’', '·'): no font file to read and subset, which cost a quarter of a pack without evidence. Any
other character ('≥', '№', a name in another script) and the whole summary is drawn again in DejaVu Sans,
the TrueType font matplotlib ships (so every machine with spbe has it), embedded as a subset. Either way the
text is text, so the figures can be searched and copied.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from decimal import Decimal
from pathlib import Path

from fpdf import FPDF
from fpdf.errors import FPDFUnicodeEncodingException
from fpdf.enums import XPos, YPos

from spbe.method.formatting import decimal_text
from spbe.method.scoring import GroupScore
from spbe.reports import pdf_charts
from spbe.reports.pack.content import PackContent
from spbe.reports.pack.warning_text import date_text, item_warning

UNICODE_FONT = "DejaVu"
WIB = dt.timezone(dt.timedelta(hours=7), "WIB")


def _figure(g: GroupScore) -> str:
    """'2,66', or the range '2,17–2,83' an incomplete group can still take."""
    low, high = g.published_range
    return decimal_text(low) if g.complete else f"{decimal_text(low)}–{decimal_text(high)}"


def _delta(now: GroupScore, before: GroupScore) -> str:
    """The change of the published value, signed ('+0,13'), or '–' unless both years are complete."""
    if now.published is None or before.published is None:
        return "–"
    change = now.published - before.published
    return ("+" if change > 0 else "") + decimal_text(change)


def font_dir() -> Path:
    """matplotlib's DejaVu fonts, found without importing matplotlib (its charts may be drawn elsewhere)."""
    spec = importlib.util.find_spec("matplotlib")
    assert spec is not None and spec.submodule_search_locations  # a dependency of spbe
    return Path(spec.submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf"


class _Pdf(FPDF):
    """A4 pages in Helvetica (or, with `unicode`, DejaVu Sans) and a page number in the footer."""

    def __init__(self, footer: str, unicode: bool = False) -> None:
        super().__init__(format="A4")
        self.footer_text = footer
        if unicode:
            self.text_font = UNICODE_FONT
            self.add_font(UNICODE_FONT, "", font_dir() / "DejaVuSans.ttf")
            self.add_font(UNICODE_FONT, "B", font_dir() / "DejaVuSans-Bold.ttf")
        else:
            self.text_font = "helvetica"
            self.core_fonts_encoding = "windows-1252"  # fpdf2's default is Latin-1, which lacks '–' and '’'
        self.set_margins(15, 15)
        self.set_auto_page_break(True, 15)

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(self.text_font, "", 7)
        self.cell(0, 5, f"{self.footer_text} · halaman {self.page_no()}", align="C")

    def heading(self, text: str, size: int = 12) -> None:
        self.ln(3)
        self.set_font(self.text_font, "B", size)
        self.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(self.text_font, "", 9)

    def para(self, text: str) -> None:
        self.multi_cell(0, 5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def rows(self, header: tuple[str, ...], body: list[tuple[str, ...]], widths: tuple[int, ...]) -> None:
        with self.table(col_widths=widths, line_height=5, text_align="LEFT", first_row_as_headings=True) as table:
            for values in [header, *body]:
                table.row(values)


def _header(pdf: _Pdf, c: PackContent) -> None:
    meta = c.rubric.meta
    pdf.heading(f"Ringkasan Penilaian Mandiri {meta.index_name}", 16)
    pdf.heading(f"{c.instansi.name} — tahun {c.assessment.year}", 12)
    status = "sudah diserahkan" if c.assessment.status == "submitted" else "draf"
    pdf.para(f"Rubrik: {meta.title}, versi {meta.version} · status penilaian: {status}")
    if meta.provisional:
        pdf.para("Catatan: rubrik ini masih SEMENTARA (provisional); kriterianya mengikuti Modul Indikator "
                 "KemenPANRB sebagaimana diketahui dari salinan tidak langsung dan belum dicocokkan dengan "
                 "lampiran regulasinya; kriteria dan bobot dapat berubah.")
    if c.part:
        pdf.para(f"Paket ini hanya memuat {'domain' if meta.domains else 'aspek'} {c.part}; "
                 "nilai di bawah ini tetap untuk seluruh penilaian.")
    pdf.para(f"Dibuat {dt.datetime.now(WIB).strftime('%d-%m-%Y %H:%M')} WIB.")


def _scores(pdf: _Pdf, c: PackContent) -> None:
    meta, s = c.rubric.meta, c.score
    pdf.heading(f"{meta.index_name}: {_figure(s.overall)}", 14)
    if s.predikat:
        pdf.heading(f"Predikat: {s.predikat}", 12)
    else:
        low, high = (c.rubric.predikat(x) for x in s.overall.published_range)
        predikat = low if low == high else f"{low}–{high}"
        pdf.para(f"Belum lengkap: {s.answered} dari {s.overall.total} indikator terisi. Indeks masih dapat "
                 f"bernilai {_figure(s.overall)}; predikat {predikat}.")
    pending = [i.indicator.id for i in c.indicators if i.indicator.external and i.value is None]
    if pending:
        pdf.para(f"Menunggu indeks sumber (tidak dinilai mandiri, dihitung {decimal_text(Decimal(meta.values.min))}"
                 f"): {', '.join(pending)}.")
    header = ("Komponen", "Bobot", "Nilai", "Terjawab")
    if meta.domains:
        pdf.heading("Nilai per domain")
        pdf.rows(header, [(f"{d.id} {d.name}", f"{decimal_text(d.weight, 1)} %", _figure(s.domains[d.id]),
                           f"{s.domains[d.id].answered}/{s.domains[d.id].total}") for d in meta.domains],
                 (90, 20, 30, 20))
    pdf.heading("Nilai per aspek")
    pdf.rows(header, [(f"{a.id} {a.name}", f"{decimal_text(a.weight, 1)} %", _figure(s.aspects[a.id]),
                       f"{s.aspects[a.id].answered}/{s.aspects[a.id].total}") for a in meta.aspects],
             (90, 20, 30, 20))


def _charts(pdf: _Pdf, c: PackContent) -> None:
    """The aspect radar and the domain bars, drawn as vector graphics (no matplotlib, no images)."""
    pdf.add_page()
    pdf.heading("Grafik")
    y = pdf.get_y() + 2
    pdf_charts.radar(pdf, c.rubric, c.score, 20, y, 170, 125)
    pdf_charts.bars(pdf, c.rubric, c.score, 20, y + 135, 170, 85)
    pdf.set_text_color(0)
    pdf.set_draw_color(0)
    pdf.set_line_width(0.2)
    pdf.set_font(pdf.text_font, "", 9)


def _year_on_year(pdf: _Pdf, c: PackContent) -> None:
    pdf.add_page()
    pdf.heading("Perbandingan dengan tahun sebelumnya")
    if c.previous is None or c.previous_score is None:
        pdf.para("Tidak ada penilaian tahun sebelumnya dengan rubrik yang sama.")
        return
    now, before, meta = c.score, c.previous_score, c.rubric.meta
    pairs = [(meta.index_name, now.overall, before.overall)]
    pairs += [(f"{d.id} {d.name}", now.domains[d.id], before.domains[d.id]) for d in meta.domains]
    pairs += [(f"{a.id} {a.name}", now.aspects[a.id], before.aspects[a.id]) for a in meta.aspects]
    pdf.rows(("Komponen", str(c.previous.year), str(c.assessment.year), "Selisih"),
             [(name, _figure(b), _figure(n), _delta(n, b)) for name, n, b in pairs], (90, 30, 30, 20))


def _gaps(pdf: _Pdf, c: PackContent) -> None:
    pdf.heading("Celah data dukung")
    pdf.para("Indikator dengan tingkat yang diklaim tetapi tanpa bukti dalam paket yang mendukung tingkat itu "
             "(bukti internal dan berkas yang hilang tidak dihitung). Tingkat terendah dan nilai dari indeks "
             "sumber tidak memerlukan bukti.")
    if not c.gaps:
        pdf.para("Tidak ada celah: setiap tingkat yang diklaim didukung bukti dalam paket.")
    else:
        pdf.rows(("Indikator", "Tingkat diklaim"),
                 [(f"{i.indicator.id} {i.indicator.name}", str(i.level)) for i in c.gaps], (150, 30))
    start, end = c.period
    pdf.heading("Peringatan tanggal dokumen")
    pdf.para(f"Periode evaluasi tahun {c.assessment.year}: {date_text(start)} s.d. {date_text(end)} "
             f"(dinilai pada {date_text(c.today)}).")
    if not c.dated:
        pdf.para("Tidak ada: setiap dokumen yang bertanggal berada dalam periode evaluasi.")
    else:
        pdf.rows(("Indikator", "Bukti", "Tanggal", "Peringatan"),
                 [(i.indicator.id, e.title, date_text(e.doc_date) if e.doc_date else "–",
                   item_warning(c, i, e)) for i, e in c.dated], (20, 60, 25, 75))
    if c.missing:
        pdf.heading("Berkas bukti hilang")
        pdf.para("Isi berkas berikut tidak ditemukan di penyimpanan saat ekspor, sehingga tidak ada di paket:")
        pdf.rows(("Indikator", "Berkas"), [(i.indicator.id, f.name) for i, f in c.missing], (25, 155))


def summary_pdf(c: PackContent) -> bytes:
    """The summary report of a pack's assessment as PDF bytes: in Helvetica if it can be, else DejaVu Sans."""
    try:
        return _summary(c, unicode=False)
    except FPDFUnicodeEncodingException:
        return _summary(c, unicode=True)


def _summary(c: PackContent, unicode: bool) -> bytes:
    pdf = _Pdf(f"{c.instansi.name} {c.assessment.year} · {c.rubric.meta.index_name}", unicode)
    pdf.set_title(f"Ringkasan {c.rubric.meta.index_name} {c.instansi.name} {c.assessment.year}")
    pdf.add_page()
    pdf.set_font(pdf.text_font, "", 9)
    _header(pdf, c)
    _scores(pdf, c)
    _charts(pdf, c)
    _year_on_year(pdf, c)
    _gaps(pdf, c)
    return bytes(pdf.output())


