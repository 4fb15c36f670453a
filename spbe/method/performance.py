"""Performance-report (LKJIP) figures: capaian against target, its kategori, and progress to the Renstra end target."""

from __future__ import annotations

from decimal import Decimal

from spbe.method.scoring import publish

# Tabel "Pengkategorian Capaian Kinerja", Permendagri 86/2017 (as printed in LKJIP reports):
# Sangat Tinggi 91 ≤ 100, Tinggi 76 ≤ 90, Sedang 66 ≤ 75, Rendah 51 ≤ 65, Sangat Rendah ≤ 50.
# The printed bands use whole numbers; a capaian between them (e.g. 90,50) belongs to the band below
# the next threshold, and capaian above 100 % is Sangat Tinggi.
KATEGORI_THRESHOLDS: tuple[tuple[Decimal, str], ...] = (
    (Decimal(91), "Sangat Tinggi"),
    (Decimal(76), "Tinggi"),
    (Decimal(66), "Sedang"),
    (Decimal(51), "Rendah"),
)
LOWEST_KATEGORI = "Sangat Rendah"


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    if whole <= 0:
        raise ValueError("target harus lebih dari 0")
    return publish(part * 100 / whole)


def capaian(realisasi: Decimal, target: Decimal) -> Decimal:
    """Capaian % = realisasi / target × 100, published to 2 decimals (2,00 against 2,6 gives 76,92)."""
    return _percent(realisasi, target)


def kemajuan(realisasi: Decimal, target_akhir: Decimal) -> Decimal:
    """Tingkat kemajuan % toward the Renstra end target = realisasi / target akhir × 100, 2 decimals."""
    return _percent(realisasi, target_akhir)


def kategori(capaian_persen: Decimal) -> str:
    """Kategori capaian kinerja per Permendagri 86/2017 for a capaian percentage."""
    for threshold, name in KATEGORI_THRESHOLDS:
        if capaian_persen >= threshold:
            return name
    return LOWEST_KATEGORI
