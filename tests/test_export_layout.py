"""Pack names: filesystem-safe, length-limited, Unicode kept, numbered; folders for rubrics with and without domains."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from spbe.method.rubric import get_rubric
from spbe.reports.pack.layout import FILE_LIMIT, indicator_folder, numbered_file, parts_of, safe_name


@pytest.mark.parametrize(("text", "expected"), [
    ("Peraturan Wali Kota Nomor 5/2022", "Peraturan Wali Kota Nomor 5-2022"),
    ('a<b>c:d"e|f?g*h\\i', "a-b-c-d-e-f-g-h-i"),
    ("Ñandú — 日本語 ✓", "Ñandú — 日本語 ✓"),
    ("tab\there\nnew  line", "tab here new line"),
    ("  trailing dots...  ", "trailing dots"),
    ("...", "tanpa nama"),
    ("Cafe\u0301", "Café"),  # NFC: one code point, as every filesystem stores it
])
def test_safe_name_keeps_unicode_and_drops_what_filesystems_refuse(text, expected):
    assert safe_name(text, 80) == expected


def test_long_names_are_cut_at_a_word_boundary_without_trailing_dots():
    name = safe_name("Tingkat Kematangan Kebijakan Internal Arsitektur SPBE Instansi Pusat/Pemerintah Daerah", 64)
    assert len(name) <= 64 and name == "Tingkat Kematangan Kebijakan Internal Arsitektur SPBE Instansi"
    assert safe_name("x" * 100, 20) == "x" * 20


def test_numbered_files_take_the_title_and_keep_the_uploads_extension():
    assert numbered_file(1, "SK Tim SPBE", "scan sk.PDF") == "01 SK Tim SPBE.pdf"
    assert numbered_file(12, "Notulen", "notulen") == "12 Notulen"
    long = numbered_file(3, "Laporan " * 30, "laporan.docx")
    assert len(long) <= FILE_LIMIT and long.startswith("03 Laporan") and long.endswith(".docx")


def test_folders_group_by_domain_and_aspect_or_by_aspect_alone():
    spbe = get_rubric("spbe-2021")
    assert indicator_folder(spbe, spbe.indicator_by_id["I01"]) == (
        "D1 Kebijakan Internal SPBE/A1 Kebijakan Internal Tata Kelola SPBE/"
        "I01 Tingkat Kematangan Kebijakan Internal Arsitektur SPBE Instansi")
    pemdi = get_rubric("pemdi-2026")
    assert indicator_folder(pemdi, pemdi.indicators[0]).startswith("A1 Tata Kelola dan Manajemen/I01 ")
    assert list(parts_of(spbe)) == ["D1", "D2", "D3", "D4"]
    assert list(parts_of(pemdi)) == [f"A{n}" for n in range(1, 8)]


@given(st.lists(st.text(alphabet="abcdefghij-./", min_size=1, max_size=15), min_size=1, max_size=12),
       st.integers(min_value=10, max_value=60))  # at least the placeholder 'tanpa nama'
def test_a_shortened_name_ends_at_a_word_boundary(words, limit):
    full = safe_name(" ".join(words), 10_000)
    assume(full != "tanpa nama")  # nothing but separators: the placeholder name
    name = safe_name(" ".join(words), limit)
    assert len(name) <= limit and full.startswith(name)
    head = full[: limit + 1]
    whole_words = head[: head.rfind(" ")].rstrip(" .,;:-–—(/") if " " in head else ""
    if name != full and whole_words:  # some whole word fits: the cut is between words
        assert full[len(name)] in " .,;:-–—(/" and not name.endswith((" ", ".", "-"))


def test_folder_names_keep_whole_words():
    spbe = get_rubric("spbe-2021")
    folders = [indicator_folder(spbe, i) for i in spbe.indicators]
    assert "D4 Layanan SPBE/A7 Layanan Administrasi Pemerintahan Berbasis Elektronik/I38 Tingkat Kematangan " \
        "Layanan Pengelolaan Barang Milik Negara" in folders
    assert not any(part.endswith(("-", " ")) for f in folders for part in f.split("/"))
