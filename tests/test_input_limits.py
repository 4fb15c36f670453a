"""Hostile files are refused before memory is spent: spreadsheet bombs, deep JSON, long numbers (issue 13).

The probe's files (bench/bomb_files.py, shrunk here) through the parser, both web imports and `spbe score`;
Hypothesis then varies nesting, number length and stated or real sizes, so such holes stay closed.
"""

from __future__ import annotations

import io
import json
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.bomb_files import JSON_BOMBS, SHEET, XLSX_BOMBS, xlsx_with
from spbe.cli import main
from spbe.method.input_limits import InputTooLarge, check_json_depth, load_json
from spbe.method.levels_file import MAX_XLSX_MEMBER, LevelsFileError, parse_levels
from spbe.method.rubric import get_rubric
from tests.db_snapshot import table_rows
from tests.fuzz_checks import FUZZ
from tests.web.conftest import login, make_demo_app, make_settings

RUBRIC = get_rubric("spbe-2021")
SCALE = 0.02  # the probe's giants at 2 %: still 14 MB cells and 60,000 rows, far over every limit
BOMBS = {name: (make(SCALE), "bom.xlsx") for name, make in XLSX_BOMBS.items()}
BOMBS |= {name: (make(), "bom.json") for name, make in JSON_BOMBS.items()}
REASONS = ("setelah dibuka", "bukan berkas XLSX yang valid", "bersarang", "angka JSON", "berisi lebih dari")
MEMORY_MB = 20  # Python allocations while refusing one file (the server's RSS: bench/bench_import_bombs.py)


def refusal(data: bytes, filename: str) -> tuple[str, float]:
    """The parser's message for a file it must refuse, and the MiB Python allocated at most meanwhile."""
    tracemalloc.start()
    try:
        with pytest.raises(LevelsFileError) as refused:
            parse_levels(data, filename, RUBRIC)
        return str(refused.value), tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("bomb", list(BOMBS))
def test_each_bomb_is_refused_by_the_parser_with_a_reason_and_little_memory(bomb):
    message, peak = refusal(*BOMBS[bomb])
    assert any(reason in message for reason in REASONS), message
    assert peak < MEMORY_MB


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The koordinator signed in to a demo app (refusals write nothing, so the examples share it)."""
    folder = tmp_path_factory.mktemp("bombs")
    app = make_demo_app(make_settings(folder, f"sqlite:///{Path(folder) / 'spbe.db'}"))
    with TestClient(app) as c:
        yield login(c, "koordinator")
    app.state.engine.dispose()


@pytest.mark.parametrize("bomb", list(BOMBS))
def test_both_web_imports_answer_422_in_indonesian_and_write_nothing(client, bomb):
    engine = client.app.state.engine  # type: ignore[attr-defined]
    aid = next(a["id"] for a in client.get("/api/assessments").json() if a["year"] == 2022)
    before = table_rows(engine)
    data, filename = BOMBS[bomb]
    past = client.post("/instansi/kota-pasuruan/import", data={"year": "2019", "rubric_id": "spbe-2021"},
                       files={"file": (filename, data)})
    official = client.post(f"/assessments/{aid}/official/import", files={"file": (filename, data)})
    for response in (past, official):
        assert response.status_code == 422
        assert any(reason in response.text for reason in REASONS)
    assert table_rows(engine) == before


@pytest.mark.parametrize("bomb", ["500,000 nested brackets", "number of 5,000 digits", "3 million rows"])
def test_spbe_score_exits_2_with_a_message_and_no_traceback(tmp_path, capsys, bomb):
    data, filename = BOMBS[bomb]
    path = tmp_path / filename.replace("bom", "deep")
    path.write_bytes(data)
    assert main(["score", str(path)]) == 2
    err = capsys.readouterr().err
    assert any(reason in err for reason in REASONS) and "Traceback" not in err


def depth_of(value: object) -> int:
    """How deep JSON brackets nest in a value (a scalar: 0)."""
    if isinstance(value, dict):
        return 1 + max(map(depth_of, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(depth_of, value), default=0)
    return 0


TEXT = st.text(alphabet=st.sampled_from('[]{}"\\,:ab \n'), max_size=8)  # brackets and escapes inside strings
JSON_VALUES = st.recursive(
    st.none() | st.integers(-(10**30), 10**30) | TEXT,  # longer numbers are refused: a test of their own
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=30,
)


@FUZZ
@given(value=JSON_VALUES, limit=st.integers(0, 8))
def test_the_depth_scan_agrees_with_the_parsed_depth(value, limit):
    text = json.dumps(value)
    if depth_of(value) > limit:
        with pytest.raises(InputTooLarge):
            check_json_depth(text, limit)
    else:
        check_json_depth(text, limit)
        assert load_json(text, depth=limit) == value


@FUZZ
@given(depth=st.integers(0, 200_000), digits=st.integers(1, 6000), wrap=st.sampled_from(["[]", "{}"]))
def test_any_nesting_or_number_length_is_parsed_or_refused_with_a_message(depth, digits, wrap):
    inner = '{"I01": ' + "3" * digits + "}"
    opening = "[" if wrap == "[]" else '{"a": '
    text = opening * depth + inner + wrap[1] * depth
    try:
        values = parse_levels(text.encode(), "levels.json", RUBRIC)
    except LevelsFileError as e:
        assert any(reason in str(e) for reason in (*REASONS, "JSON harus berupa objek", "kunci", "I01"))
    else:
        assert depth == 0 and values == {"I01": 3}


PIECES = [b"A", b"<row/>", b"<x>", b"<c/>", b"<row><c><v>3</v></c></row>", b'<si><t>x</t></si>']


@settings(FUZZ, max_examples=30)
@given(size=st.integers(0, 2 * MAX_XLSX_MEMBER), piece=st.sampled_from(PIECES), wrap=st.booleans())
def test_a_sheet_of_any_size_nesting_or_width_is_parsed_or_refused_within_memory(size, piece, wrap):
    count = size // len(piece)
    head, tail = (b"<worksheet><sheetData>", b"</sheetData></worksheet>") if wrap else (b"", b"")
    data = xlsx_with({SHEET: lambda: [head, piece * count, tail]})
    tracemalloc.start()
    try:
        parse_levels(data, "levels.xlsx", RUBRIC)
    except LevelsFileError as e:
        assert str(e).strip()
    finally:
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    assert peak < MEMORY_MB


def test_a_member_stated_small_but_inflating_larger_is_refused_as_damaged():
    message, peak = refusal(*BOMBS["sheet size understated"])
    assert "Bad CRC-32" in message and peak < MEMORY_MB
    with zipfile.ZipFile(io.BytesIO(BOMBS["sheet size understated"][0])) as archive:
        assert archive.getinfo(SHEET).file_size == 100  # the lie the directory tells
