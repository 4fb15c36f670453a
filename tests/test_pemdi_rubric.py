"""The shipped pemdi-2026 rubric: structure, weights, names and confidence as the reference sets them."""

from __future__ import annotations

import re
from decimal import Decimal as D

import pytest

from spbe.method.rubric import Rubric, get_rubric

ASPECT_NAMES = [
    "Tata Kelola dan Manajemen", "Penyelenggara", "Data", "Keamanan Pemerintah Digital",
    "Teknologi Pemerintah Digital", "Keterpaduan Layanan Digital Pemerintah",
    "Kepuasan Pengguna Layanan Digital Pemerintah",
]
INDICATOR_WEIGHTS = [[5, 5], [5, 5], [5, 3, 3, 4], [4, 4, 3, 4], [5, 5], [4, 4, 4, 3], [10, 15]]
# Names used by the official asesor material (variants of the reference names) must be kept as aliases.
ASESOR_NAMES = {
    2: "Manajemen Layanan Pemerintah Digital",
    6: "Operasional Pemanfaatan Informasi Geospasial",
    10: "Keamanan Pemerintah Digital",
    15: "Keterpaduan Proses Bisnis Lintas Sektor",
    20: "Kepuasan Pengguna Layanan Digital Pemerintah",
}


@pytest.fixture(scope="module")
def pemdi() -> Rubric:
    return get_rubric("pemdi-2026")


def test_the_rubric_has_7_aspects_20_indicators_no_domains_and_is_provisional(pemdi):
    assert pemdi.meta.domains == [] and pemdi.meta.provisional
    assert [a.id for a in pemdi.meta.aspects] == [f"A{n}" for n in range(1, 8)]
    assert [a.name for a in pemdi.meta.aspects] == ASPECT_NAMES
    assert [i.id for i in pemdi.indicators] == [f"I{n:02d}" for n in range(1, 21)]
    assert pemdi.meta.regulations == ["PermenPANRB Nomor 8 Tahun 2026 tentang Evaluasi Kinerja Pemerintah Digital"]


def test_aspect_and_indicator_weights_are_the_reference_ones_and_sum_to_100(pemdi):
    assert [a.weight for a in pemdi.meta.aspects] == [D(x) for x in (10, 10, 15, 15, 10, 15, 25)]
    weights = [[int(i.weight) for i in pemdi.indicators_of_aspect(a.id)] for a in pemdi.meta.aspects]
    assert weights == INDICATOR_WEIGHTS
    assert sum(i.weight for i in pemdi.indicators) == 100


def test_values_are_decimals_from_1_to_5_kept_to_4_places(pemdi):
    vr = pemdi.meta.values
    assert (vr.min, vr.max, vr.decimals) == (1, 5, 4)


def test_the_predikat_bands_are_tabel_4(pemdi):
    bands = [(b.name, b.min, b.max) for b in pemdi.meta.bands]
    assert bands == [("Kurang", D("1.00"), D("1.50")), ("Cukup", D("1.50"), D("2.50")),
                     ("Baik", D("2.50"), D("3.50")), ("Sangat Baik", D("3.50"), D("4.00")),
                     ("Memuaskan", D("4.00"), D("5.00"))]


def test_the_level_names_are_merintis_to_unggul_each_with_its_confidence(pemdi):
    levels = pemdi.meta.scales["kematangan"].levels
    assert [lv.name for lv in levels.values()] == ["Merintis", "Membangun", "Berkembang", "Melembaga", "Unggul"]
    assert all(lv.confidence for lv in levels.values())


def test_names_used_by_the_asesor_material_are_the_name_or_an_alias(pemdi):
    for number, printed in ASESOR_NAMES.items():
        ind = pemdi.indicators[number - 1]
        assert printed in [ind.name, *ind.aliases], (number, ind.name, ind.aliases)


def test_every_level_has_criteria_evidence_and_a_confidence_without_placeholders(pemdi):
    placeholder = re.compile(r"\bTODO\b|\bTBD\b|lorem ipsum|\.\.\.|…|\bxxx\b|placeholder", re.IGNORECASE)
    for ind in pemdi.indicators:
        assert sorted(ind.levels) == [1, 2, 3, 4, 5], ind.id
        texts = [ind.explanation, ind.evidence_general]
        for lv in ind.levels.values():
            assert len(lv.criteria) > 40 and lv.confidence is not None, (ind.id, lv.criteria)
            assert lv.butir and not lv.evidence, ind.id  # the checklist is derived from the butir
            texts += [lv.criteria, lv.conditions or "", lv.note or "", *lv.checklist]
            texts += [t for b in lv.butir for t in (b.must_show, b.threshold or "", b.note or "")]
        assert not any(placeholder.search(t) for t in texts), ind.id
        assert len({ind.levels[n].criteria for n in range(1, 6)}) == 5, ind.id


def test_no_level_or_butir_claims_to_be_verified_in_the_regulation_text(pemdi):
    # The Lampiran could not be read: nothing may be marked as seen in it.
    used = {lv.confidence for i in pemdi.indicators for lv in i.levels.values()}
    used |= {b.confidence for i in pemdi.indicators for b in pemdi.butir(i.id)}
    assert used <= {"secondary", "conflicting", "inferred", "unknown"} and "verified" not in used


def test_i05_i06_i07_and_i18_are_valued_from_other_agencies_indices(pemdi):
    assert pemdi.external_ids == {"I05", "I06", "I07", "I18"}
    sources = {i: pemdi.indicator_by_id[i].external.source for i in sorted(pemdi.external_ids)}
    assert "Satu Data Indonesia" in sources["I05"] and "Interoperabilitas" in sources["I18"]
    assert "Geospasial" in sources["I06"] and "Pembangunan Statistik" in sources["I07"]
    assert pemdi.indicator_by_id["I07"].external.fallback  # no rule found: the SDI analogue is used
    assert not pemdi.indicator_by_id["I05"].external.fallback


def test_spbe_2021_has_no_external_indicators():
    assert get_rubric("spbe-2021").external_ids == frozenset()
