"""pemdi-2026 0.2.0: every level's butir as the Modul Indikator numbers them, and the checks that keep them sound."""

from __future__ import annotations

import itertools
import re
import shutil
from decimal import Decimal as D
from pathlib import Path

import pytest
from spbe.method.rubric import Rubric, RubricError, get_rubric, load_rubric, normalise_butir_code

REAL = Path(__file__).resolve().parents[1] / "rubric" / "pemdi-2026"
MINI = Path(__file__).parent / "rubrics" / "mini-2099"

# Butir per level 1–5 of each indicator: the data-dukung line counts of the reference's count table. All 232
# are shipped: the external indicators' butir name their index, and the one butir whose text is filler
# (I9-L3-01) is kept with its content marked unknown, because the portal numbers it all the same.
COUNTS = {
    1: (1, 4, 4, 2, 3), 2: (2, 1, 1, 1, 1), 3: (5, 5, 5, 4, 6), 4: (3, 2, 2, 2, 2), 5: (1, 1, 1, 1, 1),
    6: (1, 1, 1, 1, 1), 7: (1, 1, 1, 1, 1), 8: (7, 7, 7, 7, 7), 9: (2, 1, 1, 1, 1), 10: (1, 2, 1, 1, 1),
    11: (1, 1, 1, 1, 2), 12: (2, 3, 1, 1, 1), 13: (3, 3, 4, 1, 1), 14: (4, 2, 2, 1, 2), 15: (2, 3, 2, 3, 2),
    16: (3, 2, 1, 2, 2), 17: (2, 2, 4, 3, 2), 18: (2, 2, 2, 2, 2), 19: (2, 1, 1, 3, 2), 20: (4, 3, 6, 5, 5),
}
# Codes the asesor assessed in the 2026 review of Kab. Aceh Tengah (18 accepted, 19 sent back): they exist.
ASSESSED = [
    "I1-L1-01", "I1-L2-01", "I1-L2-03", "I2-L1-01", "I2-L1-02", "I3-L1-01", "I3-L1-02", "I4-L1-01", "I4-L1-03",
    "I11-L1-01", "I12-L1-01", "I13-L1-01", "I17-L1-01", "I17-L1-02", "I17-L2-01", "I17-L2-02", "I20-L1-01",
    "I20-L1-02", "I1-L2-02", "I4-L1-02", "I9-L1-01", "I10-L1-01", "I13-L1-02", "I15-L1-01", "I19-L1-02",
    "I8-L1-01", "I12-L1-02", "I13-L2-01", "I13-L2-02", "I13-L3-01", "I14-L1-01", "I14-L1-02", "I16-L1-01",
    "I20-L1-03", "I20-L1-04", "I4-L2-02", "I12-L2-01",
]
# The 10 cells whose source text is filler: nothing is invented, the level names the part as unknown.
UNKNOWN = {("I01", 3): ["conditions"], ("I01", 4): ["conditions"], ("I01", 5): ["conditions"],
           ("I09", 3): ["butir"], ("I09", 4): ["conditions"], ("I10", 4): ["conditions"],
           ("I11", 5): ["conditions"], ("I13", 5): ["conditions"], ("I18", 5): ["conditions"],
           ("I19", 5): ["conditions"]}
FILLER = ["(Tidak disebutkan", "Tidak disebutkan", "(Kriteria di atas", "Kriteria di atas mencakup",
          "praktik baik nasional", "direplikasi oleh instansi lain", "(Established)", "Lorem"]


@pytest.fixture(scope="module")
def pemdi() -> Rubric:
    return get_rubric("pemdi-2026")


def test_the_rubric_is_content_version_0_2_0_with_232_butir(pemdi):
    assert pemdi.meta.version == "0.2.0" and pemdi.meta.provisional
    assert sum(len(pemdi.butir(i.id)) for i in pemdi.indicators) == 232


def test_every_cell_has_the_butir_count_of_the_reference(pemdi):
    shipped = {i.number: tuple(len(i.levels[n].butir) for n in range(1, 6)) for i in pemdi.indicators}
    assert shipped == COUNTS
    per_level = [sum(c[n] for c in COUNTS.values()) for n in range(5)]
    assert per_level == [49, 47, 48, 43, 45]


@pytest.mark.parametrize(("ind", "total"), [("I01", 14), ("I03", 25), ("I08", 35), ("I18", 10), ("I20", 23)])
def test_spot_checked_indicator_totals(pemdi, ind, total):
    assert len(pemdi.butir(ind)) == total


def test_codes_follow_the_portal_form_and_number_the_items_in_their_level(pemdi):
    for ind in pemdi.indicators:
        for n, lv in ind.levels.items():
            assert [b.code for b in lv.butir] == [f"I{ind.number}-L{n}-{k:02d}" for k in range(1, len(lv.butir) + 1)]
            assert sorted(b.portal_code for b in lv.butir) == [b.code for b in lv.butir]


def test_only_the_disputed_i1_level_2_codes_are_numbered_otherwise_on_the_portal(pemdi):
    moved = {b.code: b.portal_code for i in pemdi.indicators for b in pemdi.butir(i.id) if b.code != b.portal_code}
    assert moved == {"I1-L2-02": "I1-L2-04", "I1-L2-03": "I1-L2-02", "I1-L2-04": "I1-L2-03"}
    for code in [*moved, "I19-L1-01", "I19-L1-02", "I14-L1-02"]:
        butir = pemdi.butir_by_code(code)
        assert butir.confidence == "conflicting" and butir.note, code


def test_every_code_the_asesor_assessed_is_a_portal_code_of_the_rubric(pemdi):
    assert len(ASSESSED) == len(set(ASSESSED)) == 37
    for code in ASSESSED:
        assert pemdi.butir_by_code(code, portal=True).portal_code == code


def test_filler_cells_are_marked_unknown_and_say_so_plainly(pemdi):
    marked = {(i.id, n): lv.unknown for i in pemdi.indicators for n, lv in i.levels.items() if lv.unknown}
    assert marked == UNKNOWN
    for (ind, n), parts in UNKNOWN.items():
        lv = pemdi.indicator_by_id[ind].levels[n]
        if "conditions" in parts:
            assert lv.conditions.startswith("Kondisi tingkat ini belum diketahui dari sumber yang tersedia")
    unknown_butir = [b for i in pemdi.indicators for b in pemdi.butir(i.id) if b.confidence == "unknown"]
    assert [b.code for b in unknown_butir] == ["I9-L3-01"]
    assert "belum diketahui" in unknown_butir[0].title and "belum diketahui" in unknown_butir[0].must_show
    assert all(lv.confidence != "unknown" for i in pemdi.indicators for lv in i.levels.values())  # criteria known


def test_no_shipped_text_contains_filler_phrases():
    for path in sorted((REAL / "indicators").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        found = [phrase for phrase in FILLER if phrase.lower() in text.lower()]
        assert not found, (path.name, found)


def test_external_indicators_keep_their_bands_and_name_their_index_in_their_butir(pemdi):
    assert pemdi.external_ids == {"I05", "I06", "I07", "I18"}
    edges = {"I05": [0, 12.5, 37.5, 62.5, 75, 100], "I06": [1, 1.5, 2.5, 3.5, 4, 5],
             "I07": [1, 1.8, 2.6, 3.5, 4.2, 5], "I18": [0, 12.5, 37.5, 62.5, 75, 100]}
    for ind_id, xs in edges.items():
        ind = pemdi.indicator_by_id[ind_id]
        assert [(lv.band.min, lv.band.max) for lv in ind.levels.values()] == [
            (D(str(a)), D(str(b))) for a, b in itertools.pairwise(xs)]
        assert all(lv.butir[-1].threshold for lv in ind.levels.values())
    assert all(lv.band is None for i in pemdi.indicators if not i.external for lv in i.levels.values())
    assert [b.title for b in pemdi.butir("I05")] == ["Indeks Satu Data Indonesia (SDI)"] * 5
    assert {b.title for b in pemdi.butir("I18")} == {"Arsitektur Data Pemdi dari SIAP Digital",
                                                    "Indeks SDI aspek Interoperabilitas Data"}


def test_thresholds_of_the_reference_are_kept_exactly(pemdi):
    def threshold(code: str) -> str:
        return pemdi.butir_by_code(code).threshold

    assert threshold("I1-L2-04") == "RKA K/L / RKAD < 100%"
    assert threshold("I1-L3-04") == "EGA 100%, RKA K/L / RKAD 100%"
    assert threshold("I10-L1-01") == "0 ≤ IKASANDI < 1,50" and threshold("I12-L5-01") == "4,00 ≤ IKASANDI ≤ 5,00"
    assert threshold("I11-L5-02") == "4,00 ≤ IKASANDI ≤ 5,00"
    assert threshold("I17-L3-04") == "> 50% dari populasi pengguna"
    assert threshold("I17-L4-02") == threshold("I17-L5-02") == "> 90% dari populasi pengguna"
    assert threshold("I3-L2-02").startswith("> 50% ASN") and threshold("I3-L5-05") == "> 20% ASN pengelola"
    assert threshold("I20-L4-01") == "tingkat kepuasan > 4; partisipasi pengguna 70%"
    assert "Keputusan Kepala BSSN Nomor 443 Tahun 2025" in pemdi.butir_by_code("I11-L2-01").must_show
    assert "lebih dari 2 tahun terakhir" in pemdi.indicator_by_id["I01"].levels[4].criteria


def test_the_butir_of_an_indicator_come_in_level_order_and_make_the_evidence_checklist(pemdi):
    codes = [b.code for b in pemdi.butir("I17")]
    assert codes[:5] == ["I17-L1-01", "I17-L1-02", "I17-L2-01", "I17-L2-02", "I17-L3-01"] and len(codes) == 13
    level = pemdi.indicator_by_id["I01"].levels[2]
    assert level.checklist[1] == "I1-L2-04 — Arsitektur Pemdi sebagian layanan di SIAP Digital"
    assert level.checklist == [f"{b.portal_code} — {b.title}" for b in level.butir]
    assert get_rubric("spbe-2021").indicator_by_id["I01"].levels[1].checklist  # plain evidence lists still serve


@pytest.mark.parametrize(
    ("given", "portal_form"),
    [("I1-L1-01", "I1-L1-01"), ("I01-L1-01", "I1-L1-01"), (" i17-l3-2 ", "I17-L3-02"), ("I020-L05-005", "I20-L5-05")],
)
def test_codes_are_normalised_to_the_portal_form(pemdi, given, portal_form):
    assert normalise_butir_code(given) == portal_form
    assert pemdi.butir_by_code(given).code == portal_form


@pytest.mark.parametrize("bad", ["I1-L1", "X1-L1-01", "I1-L0-01", "I0-L1-01", "I1-L1-00", "I1-L1-123", ""])
def test_a_string_that_is_no_butir_code_is_refused(bad):
    with pytest.raises(ValueError, match="is not a butir code"):
        normalise_butir_code(bad)


def test_looking_up_a_code_the_rubric_does_not_have_names_it(pemdi):
    with pytest.raises(KeyError, match="no butir with code I2-L2-02"):
        pemdi.butir_by_code("I02-L2-02")
    assert pemdi.butir_by_code("I1-L2-02", portal=True).code == "I1-L2-03"


# --- validation, on a tiny rubric with butir written to tmp_path -----------------------------------------

WORDS = ["satu", "dua", "tiga", "empat", "lima"]
EXTERNAL = """
external:
  source: Indeks Uji
  agency: Badan Uji
  input_min: 0
  input_max: 100
  points: [[0, 1], [50, 3], [100, 5]]
  confidence: inferred
  note: Untuk pengujian.
"""


def butir(code: str, word: str, portal: str | None = None) -> str:
    note = ", note: Nomor portal lain." if portal else ""
    return (f"{{code: {code}, portal_code: {portal or code}, title: Dokumen {word}, must_show: Dokumen {word}., "
            f"confidence: secondary{note}}}")


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """mini-2099 with one butir per level instead of plain evidence lists."""
    folder = tmp_path / "mini-2099"
    shutil.copytree(MINI, folder)
    for n in (1, 2, 3):
        path = folder / "indicators" / f"I{n}.yaml"
        text = path.read_text(encoding="utf-8")
        for level, word in enumerate(WORDS, start=1):
            text = text.replace(f"evidence: [Dokumen {word}]", f"butir: [{butir(f'I{n}-L{level}-01', word)}]")
        path.write_text(text, encoding="utf-8")
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_tiny_butir_rubric_loads(tiny):
    rubric = load_rubric(tiny)
    assert [b.code for b in rubric.butir("I2")] == [f"I2-L{n}-01" for n in range(1, 6)]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (butir("I2-L1-01", "satu"), butir("I3-L1-01", "satu", "I2-L1-01"),
         r"indicators/I2.yaml: field levels.1.butir.0.code: I3-L1-01 does not belong to indicator 2 level 1"),
        (butir("I2-L1-01", "satu"), butir("I2-L4-02", "satu", "I2-L1-01"),
         r"indicators/I2.yaml: field levels.1.butir.0.code: I2-L4-02 does not belong to indicator 2 level 1"),
        (butir("I2-L1-01", "satu"), butir("I2-L1-01", "satu", "I2-L2-01"),
         r"indicators/I2.yaml: field levels.1.butir.0.portal_code: I2-L2-01 does not belong"),
        (butir("I2-L2-01", "dua"), f"{butir('I2-L2-01', 'dua')}, {butir('I2-L2-01', 'dua', 'I2-L2-02')}",
         (r"indicators/I2.yaml: field levels.2.butir.1.code: I2-L2-01 is used more than once "
          r"\(first at indicators/I2.yaml: field levels.2.butir.0.code\)")),
        (butir("I2-L2-01", "dua"), f"{butir('I2-L2-01', 'dua')}, {butir('I2-L2-02', 'dua', 'I2-L2-01')}",
         r"field levels.2.butir.1.portal_code: I2-L2-01 is used more than once"),
        (f"butir: [{butir('I2-L3-01', 'tiga')}]", "evidence: [Dokumen tiga]",
         r"indicators/I2.yaml: field levels.3.butir: a self-assessed level needs at least one butir"),
    ],
)
def test_a_broken_butir_is_refused_naming_the_file_field_and_reason(tiny, old, new, message):
    edit(tiny / "indicators" / "I2.yaml", old, new)
    with pytest.raises(RubricError, match=message):
        load_rubric(tiny)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (f"butir: [{butir('I2-L3-01', 'tiga')}]", "butir: []",
         r"I2.yaml: field levels.3: .*a level needs its butir or an evidence list"),
        (f"butir: [{butir('I2-L3-01', 'tiga')}]", f"evidence: [Dokumen tiga], butir: [{butir('I2-L3-01', 'tiga')}]",
         r"I2.yaml: field levels.3: .*not both"),
        (butir("I2-L1-01", "satu"), butir("I2-L1-01", "satu").replace("portal_code: I2-L1-01", "portal_code: I2-L1-02"),
         r"I2.yaml: field levels.1: .*portal_code I2-L1-02 differs; say why in `note`"),
        ("1: {criteria: Tingkat satu.,", "1: {criteria: Tingkat satu., unknown: [criteria],",
         r"I2.yaml: field levels.1: .*confidence 'unknown'"),
        ("1: {criteria: Tingkat satu.,", "1: {criteria: Tingkat satu., unknown: [conditions],",
         r"I2.yaml: field levels.1: .*still say so in `conditions`"),
        (butir("I2-L1-01", "satu"), butir("I2-L1-01", "satu").replace("code: I2-L1-01,", "code: I02-L1-01,", 1),
         r"I2.yaml: field levels.1.butir.0.code: String should match pattern"),
    ],
)
def test_a_broken_level_is_refused_in_its_file(tiny, old, new, message):
    edit(tiny / "indicators" / "I2.yaml", old, new)
    with pytest.raises(RubricError, match=message):
        load_rubric(tiny)


def test_a_level_marked_with_unknown_butir_may_have_none(tiny):
    edit(tiny / "indicators" / "I2.yaml", f"butir: [{butir('I2-L3-01', 'tiga')}]", "butir: [], unknown: [butir]")
    assert load_rubric(tiny).indicator_by_id["I2"].levels[3].butir == []


def test_an_external_indicator_needs_no_butir_but_keeps_its_bands(tiny):
    path = tiny / "indicators" / "I1.yaml"
    for level, word in enumerate(WORDS, start=1):
        edit(path, f"butir: [{butir(f'I1-L{level}-01', word)}]", f"evidence: [Dokumen {word}]")
    path.write_text(path.read_text(encoding="utf-8") + EXTERNAL, encoding="utf-8")
    with pytest.raises(RubricError, match=r"indicators/I1.yaml: field levels.1.band: an external-index indicator "
                                          r"gives the band of every level"):
        load_rubric(tiny)
    for level, (low, high) in enumerate([(0, 20), (20, 40), (40, 60), (60, 80), (80, 100)], start=1):
        edit(path, f"{level}: {{criteria", f"{level}: {{band: {{min: {low}, max: {high}}}, criteria")
    assert load_rubric(tiny).indicator_by_id["I1"].levels[5].band.max == 100
    edit(path, "band: {min: 20, max: 40}", "band: {min: 20, max: 45}")
    with pytest.raises(RubricError, match=r"I1.yaml: field levels.2.band: ends at 45, but the next level starts at 40"):
        load_rubric(tiny)


def test_a_band_on_a_self_assessed_indicator_is_refused(tiny):
    edit(tiny / "indicators" / "I2.yaml", "1: {criteria", "1: {band: {min: 0, max: 1}, criteria")
    with pytest.raises(RubricError, match=r"indicators/I2.yaml: field levels.1.band: only an indicator valued from"):
        load_rubric(tiny)


@pytest.fixture
def pemdi_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "pemdi-2026"
    shutil.copytree(REAL, folder)
    return folder


def test_a_band_that_does_not_convert_to_the_predikat_band_of_its_level_is_refused(pemdi_copy):
    path = pemdi_copy / "indicators" / "I05.yaml"
    edit(path, "band: {min: 12.5, max: 37.5}", "band: {min: 12.5, max: 40}")
    edit(path, "band: {min: 37.5, max: 62.5}", "band: {min: 40, max: 62.5}")
    with pytest.raises(RubricError, match=r"indicators/I05.yaml: field levels.2.band: 12.5–40 converts to "
                                          r"1.50–2.60, not to the predikat band Cukup \(1.50–2.50\)"):
        load_rubric(pemdi_copy)


def test_a_self_assessed_pemdi_level_that_loses_its_butir_is_refused(pemdi_copy):
    path = pemdi_copy / "indicators" / "I02.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  4:\n")
    block = text[start:text.index("  5:\n")]
    replaced = re.sub(r"    butir:\n(      .*\n)+", "    evidence: [\"Laporan reviu\"]\n", block)
    path.write_text(text.replace(block, replaced), encoding="utf-8")
    with pytest.raises(RubricError, match=r"indicators/I02.yaml: field levels.4.butir: a self-assessed level needs"):
        load_rubric(pemdi_copy)


def test_a_code_used_in_another_indicator_file_is_refused_as_misplaced_and_duplicate(tiny):
    edit(tiny / "indicators" / "I3.yaml", butir("I3-L1-01", "satu"), butir("I2-L1-01", "satu"))
    with pytest.raises(RubricError) as e:
        load_rubric(tiny)
    assert "indicators/I3.yaml: field levels.1.butir.0.code: I2-L1-01 does not belong to indicator 3" in str(e.value)
    assert ("indicators/I3.yaml: field levels.1.butir.0.code: I2-L1-01 is used more than once "
            "(first at indicators/I2.yaml: field levels.1.butir.0.code)") in str(e.value)
