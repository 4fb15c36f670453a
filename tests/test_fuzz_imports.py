"""Generated malformed levels files through the parser, the past-year import and the official-values import.

The parser returns checked values or raises LevelsFileError naming the problem, whatever the bytes; the web
imports answer a 4xx with a message in Bahasa Indonesia and write nothing, or import exactly what it parses.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlmodel import Session, select

from spbe.method.levels_file import LevelsFileError, parse_levels
from spbe.method.rubric import get_rubric
from spbe.method.scoring import check_value
from spbe.services.official import official_values
from spbe.store.models import Answer, Assessment
from spbe.store.queries import assessment_values
from tests.db_snapshot import table_rows
from tests.fuzz_checks import FUZZ, check_answer, odd_or_any
from tests.web.conftest import login, make_demo_app, make_settings

RUBRIC = get_rubric("spbe-2021")
ODD_CELLS = [
    "I01",
    "i07",
    " I47 ",
    "I99",
    "I1",
    "I001",
    "",
    "indikator",
    "level",
    "nilai",
    "3",
    "3.0",
    "3,5",
    "1e400",
    "NaN",
    "Infinity",
    "-0",
    "0x3",
    "٣",
    "9" * 60,
    "\x00",
    "\x1b[31m",
    "=1+1",
    '"',
    "'",
    "🙂",
    "\ufeff",
]
CELLS = odd_or_any(ODD_CELLS, max_size=10, bits=70)
INDICATORS = st.sampled_from([i.id for i in RUBRIC.indicators]) | st.sampled_from(ODD_CELLS)
LEVELS = st.sampled_from(["1", "2", "3", "4", "5"]) | CELLS
HEADERS = st.sampled_from(
    [["indikator", "level"], ["indikator", "nilai"], ["Indikator", "LEVEL", ""]]
) | st.lists(CELLS, max_size=4)
ROWS = st.lists(st.tuples(INDICATORS, LEVELS).map(list) | st.lists(CELLS, max_size=4), max_size=10)


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[bytes, str]:
    rows = [draw(HEADERS), *draw(ROWS)]
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    if draw(st.booleans()):
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter).writerows(rows)
        text = out.getvalue()
    else:  # joined by hand: quotes and delimiters inside cells break the format
        text = "\n".join(delimiter.join(row) for row in rows)
    data = text.encode(
        draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"])), "replace"
    )
    return data, draw(st.sampled_from(["levels.csv", "LEVELS.CSV"]))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**100), 2**100) | st.floats() | CELLS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(CELLS, inner, max_size=3),
    max_leaves=10,
)


@st.composite
def json_files(draw: st.DrawFn) -> tuple[bytes, str]:
    document = draw(
        st.dictionaries(
            INDICATORS, LEVELS.map(lambda v: int(v) if v.isdigit() else v) | JSON_VALUES, max_size=8
        )
        | JSON_VALUES
    )
    data = json.dumps(document, allow_nan=True, ensure_ascii=draw(st.booleans())).encode()
    cut = draw(st.integers(0, len(data))) if draw(st.booleans()) else len(data)
    return data[:cut], "levels.json"


XLSX_CELLS = CELLS | st.integers(-(2**62), 2**62) | st.floats(allow_nan=False) | st.booleans() | st.none()


@st.composite
def xlsx_files(draw: st.DrawFn) -> tuple[bytes, str]:
    book = Workbook()
    for row in [
        draw(HEADERS),
        *draw(st.lists(st.lists(XLSX_CELLS, max_size=4) | ROWS.map(lambda r: r[0] if r else []), max_size=8)),
    ]:
        book.active.append([c if not isinstance(c, str) or c.isprintable() else repr(c) for c in row])
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    damage = draw(st.sampled_from(["none", "none", "cut", "flip"]))
    at = len(data) * draw(st.integers(0, 999)) // 1000  # a share of the length: the saved time changes it
    if damage == "cut":
        data = data[:at]
    elif damage == "flip":
        data = data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]
    return data, "levels.xlsx"


@st.composite
def good_files(draw: st.DrawFn) -> tuple[bytes, str]:
    """A well-formed file of valid levels, as CSV, JSON or XLSX."""
    ids = sorted(i.id for i in RUBRIC.indicators)
    levels = draw(st.dictionaries(st.sampled_from(ids), st.integers(1, 5), min_size=1, max_size=8))
    kind = draw(st.sampled_from(["csv", "json", "xlsx"]))
    if kind == "json":
        return json.dumps(levels).encode(), "levels.json"
    if kind == "csv":
        return b"indikator,level\n" + "".join(f"{k},{v}\n" for k, v in levels.items()).encode(), "l.csv"
    book = Workbook()
    for row in [["indikator", "level"], *levels.items()]:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), "levels.xlsx"


FILES = st.one_of(
    good_files(),
    csv_files(),
    json_files(),
    xlsx_files(),
    st.tuples(st.binary(max_size=300), st.sampled_from(["x.csv", "x.json", "x.xlsx", "x.txt", "x", ".csv"])),
)


def parsed(data: bytes, filename: str) -> dict[str, object] | None:
    """What the parser makes of a file (None when it refuses it with a message); any other exception fails."""
    try:
        values = parse_levels(data, filename, RUBRIC)
    except LevelsFileError as e:
        assert str(e).strip()
        return None
    assert all(check_value(RUBRIC, v) == v and k in RUBRIC.indicator_by_id for k, v in values.items())
    return dict(values)


@FUZZ
@given(file=FILES)
def test_the_parser_returns_checked_values_or_names_the_problem(file):
    parsed(*file)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The koordinator signed in to a demo app (shared by the examples: refusals write nothing)."""
    folder = tmp_path_factory.mktemp("imports")
    app = make_demo_app(make_settings(folder, f"sqlite:///{Path(folder) / 'spbe.db'}"))
    with TestClient(app) as c:
        yield login(c, "koordinator")
    app.state.engine.dispose()


@FUZZ
@given(
    file=FILES,
    year=st.sampled_from(["2019", "2020", "2023", "2022", "1999", "20 19", "abc", ""]),
    official=st.sampled_from(["", "1"]),
)
def test_a_past_year_import_imports_what_the_file_says_or_nothing(client, file, year, official):
    engine = client.app.state.engine  # type: ignore[attr-defined]
    before = table_rows(engine)
    response = client.post(
        "/instansi/kota-pasuruan/import",
        data={"year": year, "official": official, "rubric_id": "spbe-2021"},
        files={"file": (file[1], file[0])},
        follow_redirects=False,
    )
    if check_answer(response, engine, before):
        with Session(engine) as db:
            assessment = db.exec(select(Assessment).where(Assessment.year == int(year))).one()
            assert assessment_values(db, assessment) == parsed(*file)
            assert official_values(db, assessment) == (parsed(*file) if official else {})
            db.delete(assessment)  # make room for the next example of that year
            for answer in db.exec(select(Answer).where(Answer.assessment_id == assessment.id)):
                db.delete(answer)
            db.commit()


@FUZZ
@given(file=FILES)
def test_an_official_import_sets_what_the_file_says_or_nothing(client, file):
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with Session(engine) as db:
        assessment = db.exec(select(Assessment).where(Assessment.year == 2022)).one()
        aid, earlier = assessment.id, official_values(db, assessment)
    before = table_rows(engine)
    response = client.post(
        f"/assessments/{aid}/official/import", files={"file": (file[1], file[0])}, follow_redirects=False
    )
    if check_answer(response, engine, before):
        with Session(engine) as db:
            assert official_values(db, db.get(Assessment, aid)) == {**earlier, **(parsed(*file) or {})}
