"""Raw JSON is narrowed where read; vocabularies are checked on load naming file and key."""

from __future__ import annotations

from pathlib import Path

import pytest
from typing_extensions import TypedDict

from redthread.errors import InputError
from redthread.model.jsondata import checked, items, load_yaml, obj, objects, text, texts


class _Words(TypedDict):
    nouns: list[str]
    events: dict[str, list[str]]


def test_narrowing_keeps_the_right_type_and_empties_the_wrong_one() -> None:
    assert obj({"a": 1}) == {"a": 1}
    assert obj([1, 2]) == {}
    assert objects([{"a": 1}, "x", None, {"b": [2]}]) == [{"a": 1}, {"b": [2]}]
    assert objects({"a": 1}) == []
    assert items("abc") == []
    assert items([1, "a"]) == [1, "a"]
    assert text(None) == "" and text([1]) == "" and text(12) == "12" and text(True) == "True"
    assert texts(["a", None, 3, {"x": 1}, ""]) == ["a", "3"]
    assert texts("one") == ["one"]


def test_checked_names_the_key_that_is_wrong(tmp_path: Path) -> None:
    assert checked(_Words, {"nouns": ["a"], "events": {"order": ["buy"]}}, "v.yaml") == {
        "nouns": ["a"], "events": {"order": ["buy"]}}
    with pytest.raises(InputError) as err:
        checked(_Words, {"nouns": ["a"], "events": {"order": "buy"}}, "v.yaml")
    assert err.value.path == "v.yaml" and err.value.field == "events.order"
    path = tmp_path / "words.yaml"
    path.write_text("nouns: [a, b]\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_yaml(_Words, path)
    assert err.value.path == str(path) and err.value.field == "events"


def test_the_facts_vocabulary_loads_as_its_record() -> None:
    from redthread.extract.facts import vocabulary

    v = vocabulary()
    assert "order" in v["events"] and all(isinstance(w, str) for w in v["goods_nouns"])


def test_strict_narrowing_refuses_a_part_of_the_wrong_shape() -> None:
    from redthread.model.jsondata import as_list, as_object, opt_text

    assert as_object(None) == {} and as_object({"a": 1}) == {"a": 1} and as_object([]) == {}
    assert as_list(None) == [] and as_list([1]) == [1]
    with pytest.raises(TypeError):
        as_object(["a"])
    with pytest.raises(TypeError):
        as_list({"a": 1})
    assert opt_text("") is None and opt_text(None) is None and opt_text(3) == "3"
