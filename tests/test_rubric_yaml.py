"""The rubric's YAML read by libyaml's C parser gives what the pure-Python loader gave, Decimals included."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from spbe.method import rubric as rubric_module
from spbe.method.rubric import RubricError, read_yaml, rubric_root

YAML_FILES = sorted(rubric_root().rglob("*.yaml"))


class _PurePythonDecimalLoader(yaml.SafeLoader):
    """The loader the rubric used before: PyYAML's pure-Python parser, floats as Decimal."""


_PurePythonDecimalLoader.add_constructor(
    "tag:yaml.org,2002:float", lambda loader, node: Decimal(loader.construct_scalar(node))
)


def pure_python(text: str) -> object:
    return yaml.load(text, Loader=_PurePythonDecimalLoader)


def test_the_c_parser_is_the_one_used():
    assert yaml.__with_libyaml__
    assert issubclass(rubric_module.decimal_loader(), yaml.CSafeLoader)


def test_every_shipped_yaml_file_reads_the_same_with_either_loader():
    assert len(YAML_FILES) > 60  # both rubrics' indicators, bridges, peer averages
    for path in YAML_FILES:
        expected = pure_python(path.read_text(encoding="utf-8"))
        assert read_yaml(path) == expected, path


def test_floats_stay_exact_decimals(tmp_path: Path):
    path = tmp_path / "weights.yaml"
    path.write_text("weight: 1.3\nnested: [0.1, 2.50, 3]\nname: '1.5'\n", encoding="utf-8")
    data = read_yaml(path)
    assert data == {"weight": Decimal("1.3"), "nested": [Decimal("0.1"), Decimal("2.50"), 3], "name": "1.5"}
    assert str(data["nested"][1]) == "2.50"  # the written digits, not a binary float's


def test_bad_yaml_still_names_the_file(tmp_path: Path):
    path = tmp_path / "rusak.yaml"
    path.write_text("a: [1, 2\nb: 3\n", encoding="utf-8")
    with pytest.raises(RubricError, match="rusak.yaml: not valid YAML"):
        read_yaml(path)


scalars = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, places=4).map(str),
    st.integers(-(10**6), 10**6).map(str),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20).map(
        lambda s: "'" + s.replace("'", "''") + "'"
    ),
    st.sampled_from(["true", "false", "null", "~", "1e3", "1.5e-2", ".5", "-0.0"]),
)


@given(
    st.dictionaries(st.from_regex(r"[a-z_]{1,8}", fullmatch=True), st.lists(scalars, max_size=4), max_size=6)
)
def test_any_mapping_of_scalars_reads_the_same_with_either_loader(data: dict[str, list[str]]):
    text = "".join(f"{key}: [{', '.join(values)}]\n" for key, values in data.items())
    assert yaml.load(text, Loader=rubric_module.decimal_loader()) == pure_python(text)
