"""The shipped spbe-2021 rubric: structure, weights and texts as PermenPANRB 59/2020 sets them."""

from __future__ import annotations

import re
from decimal import Decimal as D
from pathlib import Path

import pytest

SEED_NAMES_2022 = {  # names as printed in the Kota Pasuruan 2022 report (some cut short there)
    13: "Tingkat Kematangan Rencana dan Anggaran SPBE",
    25: "Tingkat Kematangan Penerapan Kompetensi Sumber Daya Manusia",
    37: "Tingkat Kematangan Layanan Kearsipan Dinamis",
    46: "Tingkat Kematangan Layanan Publik Sektor 2",
}


def test_the_rubric_has_4_domains_8_aspects_and_47_indicators_with_stable_ids(rubric):
    assert [d.id for d in rubric.meta.domains] == ["D1", "D2", "D3", "D4"]
    assert [a.id for a in rubric.meta.aspects] == [f"A{n}" for n in range(1, 9)]
    assert [i.id for i in rubric.indicators] == [f"I{n:02d}" for n in range(1, 48)]


def test_domain_and_aspect_weights_are_the_official_ones(rubric):
    assert [d.weight for d in rubric.meta.domains] == [D(13), D(25), D("16.5"), D("45.5")]
    assert [a.weight for a in rubric.meta.aspects] == [D(x) for x in ["13", "10", "10", "5", "12", "4.5", "27.5", "18"]]


@pytest.mark.parametrize(
    ("numbers", "aspect", "weight", "scale"),
    [(range(1, 11), "A1", "1.3", "proses"), (range(11, 15), "A2", "2.5", "proses"),
     (range(15, 19), "A3", "2.5", "proses"), (range(19, 21), "A4", "2.5", "proses"),
     (range(21, 29), "A5", "1.5", "proses"), (range(29, 32), "A6", "1.5", "proses"),
     (range(32, 42), "A7", "2.75", "fungsi_teknis"), (range(42, 48), "A8", "3", "fungsi_teknis")],
)
def test_each_indicator_sits_in_its_aspect_with_its_weight_and_scale(rubric, numbers, aspect, weight, scale):
    for n in numbers:
        ind = rubric.indicators[n - 1]
        assert (ind.number, ind.aspect, ind.weight, ind.scale) == (n, aspect, D(weight), scale)


def test_level_names_are_the_two_official_scales(rubric):
    proses = [lv.name for lv in rubric.meta.scales["proses"].levels.values()]
    fungsi = [lv.name for lv in rubric.meta.scales["fungsi_teknis"].levels.values()]
    assert proses == ["Rintisan", "Terkelola", "Terstandarisasi", "Terintegrasi dan Terukur", "Optimum"]
    assert fungsi == ["Informasi", "Interaksi", "Transaksi", "Kolaborasi", "Optimalisasi"]


def test_every_indicator_has_criteria_and_evidence_for_all_five_levels_without_placeholders(rubric):
    placeholder = re.compile(r"\bTODO\b|\bTBD\b|lorem ipsum|\.\.\.|…|\bxxx\b")
    for ind in rubric.indicators:
        assert sorted(ind.levels) == [1, 2, 3, 4, 5], ind.id
        texts = [ind.explanation, ind.evidence_general]
        for lv in ind.levels.values():
            assert len(lv.criteria) > 40, (ind.id, lv.criteria)
            texts += [lv.criteria, *lv.evidence]
        assert not any(placeholder.search(t) for t in texts), ind.id
        assert ind.name.startswith("Tingkat Kematangan"), ind.id


def test_the_criteria_of_neighbouring_levels_differ(rubric):
    for ind in rubric.indicators:
        criteria = [ind.levels[n].criteria for n in range(1, 6)]
        assert len(set(criteria)) == 5, ind.id


def test_names_printed_in_the_official_report_are_the_name_or_an_alias(rubric):
    for number, printed in SEED_NAMES_2022.items():
        ind = rubric.indicators[number - 1]
        assert printed in [ind.name, *ind.aliases], (number, ind.name, ind.aliases)


def test_the_predikat_bands_are_the_official_ones(rubric):
    bands = [(b.name, b.min, b.max) for b in rubric.meta.bands]
    assert bands == [("Kurang", D("1.00"), D("1.80")), ("Cukup", D("1.80"), D("2.60")),
                     ("Baik", D("2.60"), D("3.50")), ("Sangat Baik", D("3.50"), D("4.20")),
                     ("Memuaskan", D("4.20"), D("5.00"))]


def test_rubric_folder_has_no_stray_files(rubric):
    folder = Path(__file__).resolve().parents[1] / "rubric" / "spbe-2021" / "indicators"
    assert sorted(p.name for p in folder.iterdir()) == [f"I{n:02d}.yaml" for n in range(1, 48)]
