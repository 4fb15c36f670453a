"""The rubric's text on indicator cards is rendered once per rubric object, indicator and language."""

from __future__ import annotations

import shutil
from pathlib import Path

from spbe.method.rubric import Rubric, load_rubric, rubric_root
from spbe.web.indicator_text import TEMPLATE, text_of
from spbe.web.templating import templates


def test_card_text_is_reused_for_the_same_rubric_and_language(rubric: Rubric) -> None:
    template = templates.env.get_template(TEMPLATE)
    ind = rubric.indicator_by_id["I01"]
    text = text_of(template, rubric, ind, "id")
    assert text_of(template, rubric, ind, "id") is text
    assert [n for n, _ in text.levels] == [1, 2, 3, 4, 5]
    assert rubric.level_name(ind, 3) in text.levels[2][1]
    assert "Penjelasan indikator" in text.about
    assert "About this indicator" in text_of(template, rubric, ind, "en").about


def test_a_reloaded_rubric_gets_its_own_card_text(rubric: Rubric, tmp_path: Path) -> None:
    """A rubric whose files changed is loaded as a new object: its cards never show the old text."""
    folder = tmp_path / rubric.id
    shutil.copytree(rubric_root() / rubric.id, folder)
    path = folder / "indicators" / "I01.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  Arsitektur SPBE merupakan", "  DIUBAH", 1))
    reloaded = load_rubric(folder)
    template = templates.env.get_template(TEMPLATE)
    assert "DIUBAH" in text_of(template, reloaded, reloaded.indicator_by_id["I01"], "id").about
    assert "DIUBAH" not in text_of(template, rubric, rubric.indicator_by_id["I01"], "id").about
