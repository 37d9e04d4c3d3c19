"""`smm-hire rubrics check`: each kind of mistake is found, with its file, line and fix."""

import copy
import subprocess
from pathlib import Path

import pytest
import yaml

from app.rubrics.checks import check_rubric, validate_document
from app.rubrics.library import BUILTIN_DIR, load_library
from app.rubrics.schema import Rubric
from tests.test_cli import SMM_HIRE


def text(words: str) -> dict[str, str]:
    return {"ru": f"{words} (ru)", "en": f"{words} (en)"}


def criterion(criterion_id: str, *, weight: float = 1, item: int = 1) -> dict:
    return {
        "id": criterion_id,
        "title": text("title"),
        "description": text("description"),
        "indicators": [text("indicator")],
        "anchors": {level: text(f"level {level}") for level in (1, 2, 3, 4)},
        "questions": [
            {"kind": "behavioural", "text": text("tell me"), "probes": [text("and then?")]},
            {"kind": "situational", "text": text("imagine"), "probes": [text("why?")]},
        ],
        "evidence": ["interview"],
        "weight": weight,
        "source": [{"list": "organisation", "item": item}],
    }


def rubric_document() -> dict:
    return {
        "id": "sample",
        "category": "organisation",
        "title": text("Sample"),
        "description": text("A sample rubric"),
        "sections": [
            {
                "id": "sample",
                "title": text("Section"),
                "criteria": [criterion("sample.first"), criterion("sample.second", item=2)],
            }
        ],
    }


def problems_of(document: dict) -> list[str]:
    rubric, problems = validate_document(Rubric, document)
    if rubric is not None:
        problems = check_rubric(rubric)
    return [f"{problem.field}: {problem.message}" for problem in problems]


def first_criterion(document: dict) -> dict:
    return document["sections"][0]["criteria"][0]


def test_a_complete_rubric_has_no_problems() -> None:
    assert problems_of(rubric_document()) == []


def test_a_missing_level_anchor() -> None:
    document = rubric_document()
    del first_criterion(document)["anchors"][3]

    assert problems_of(document) == [
        "sections.0.criteria.0.anchors: missing anchor for level 3: describe what a 3 looks like"
    ]


def test_a_duplicate_id() -> None:
    document = rubric_document()
    document["sections"][0]["criteria"][1]["id"] = "sample.first"

    assert problems_of(document) == [
        "sections.0.criteria.0.id: duplicate id 'sample.first': give each one its own"
    ]


def test_an_unknown_evidence_source() -> None:
    document = rubric_document()
    first_criterion(document)["evidence"] = ["interview", "horoscope"]

    [problem] = problems_of(document)
    assert problem.startswith("sections.0.criteria.0.evidence.1: 'horoscope' is not allowed")
    assert "'work_sample'" in problem


def test_a_missing_translation() -> None:
    document = rubric_document()
    del first_criterion(document)["title"]["en"]
    first_criterion(document)["description"]["ru"] = "  "

    assert problems_of(document) == [
        "sections.0.criteria.0.title.en: missing translation: add the English text (en: ...)",
        "sections.0.criteria.0.description.ru: missing translation: the Russian text (ru) is empty",
    ]


def test_dangling_references() -> None:
    document = rubric_document()
    first_criterion(document)["related"] = ["sample.second", "sample.nowhere"]
    first_criterion(document)["source"] = [{"list": "organisation", "item": 8}]

    assert problems_of(document) == [
        "sections.0.criteria.0.source.0: seed list 'organisation' has 7 items, not 8",
        "sections.0.criteria.0.related.1: dangling reference: no criterion has the id "
        "'sample.nowhere'",
    ]


def test_a_negative_weight() -> None:
    document = rubric_document()
    first_criterion(document)["weight"] = -1

    assert problems_of(document) == [
        "sections.0.criteria.0.weight: a weight cannot be negative: use 0 to switch a criterion off"
    ]


def test_a_section_whose_weights_are_all_zero() -> None:
    document = rubric_document()
    for each in document["sections"][0]["criteria"]:
        each["weight"] = 0

    assert problems_of(document) == [
        "sections.0.criteria: every criterion of section 'sample' weighs 0: "
        "give at least one a weight above 0"
    ]


def test_a_missing_question_kind_and_an_unknown_field() -> None:
    document = rubric_document()
    first_criterion(document)["questions"] = first_criterion(document)["questions"][:1] * 2
    first_criterion(document)["anchor"] = {}

    assert problems_of(document) == [
        "sections.0.criteria.0.anchor: unknown field 'anchor': remove it or fix its spelling "
        "(see rubrics/README.md)"
    ]
    del first_criterion(document)["anchor"]
    assert problems_of(document) == [
        "sections.0.criteria.0.questions: no situational question: add one, with follow-up probes"
    ]


def write_rubric(folder: Path, name: str, document: dict) -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False))
    return path


def test_the_command_prints_file_line_and_fix_and_fails(tmp_path: Path) -> None:
    broken = rubric_document()
    del first_criterion(broken)["anchors"][4]
    path = write_rubric(tmp_path, "broken.yaml", broken)
    anchors_line = path.read_text().splitlines().index("    anchors:") + 1

    result = subprocess.run(
        [SMM_HIRE, "rubrics", "check", str(path)], capture_output=True, text=True, cwd=tmp_path
    )

    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"broken.yaml:{anchors_line}: sections.0.criteria.0.anchors: "
        "missing anchor for level 4: describe what a 4 looks like"
    )
    assert "Traceback" not in result.stderr


def test_yaml_syntax_errors_name_their_line(tmp_path: Path) -> None:
    path = tmp_path / "syntax.yaml"
    path.write_text("id: sample\ncategory: [duties\ntitle: x\n")

    [problem] = load_library([path]).problems

    assert problem.file.endswith("syntax.yaml") and problem.line == 3
    assert "not valid YAML" in problem.message


def test_a_broken_file_is_refused_and_the_rest_loaded(tmp_path: Path) -> None:
    write_rubric(tmp_path, "good.yaml", rubric_document())
    broken = copy.deepcopy(rubric_document())
    broken["id"] = "other"
    broken["sections"][0]["criteria"] = [criterion("other.one", weight=-2)]
    write_rubric(tmp_path, "bad.yaml", broken)

    library = load_library([tmp_path])

    assert list(library.rubrics) == ["sample"]
    assert [problem.file.rsplit("/", 1)[-1] for problem in library.problems] == ["bad.yaml"]


def test_the_same_ids_in_two_files_are_refused(tmp_path: Path) -> None:
    write_rubric(tmp_path, "a.yaml", rubric_document())
    write_rubric(tmp_path, "b.yaml", rubric_document())

    library = load_library([tmp_path])

    assert list(library.rubrics) == ["sample"]
    assert "duplicate rubric id 'sample'" in library.problems[0].message


@pytest.mark.parametrize("path", sorted(BUILTIN_DIR.glob("*.yaml")), ids=lambda path: path.name)
def test_every_built_in_rubric_file_loads_and_validates(path: Path) -> None:
    library = load_library([BUILTIN_DIR])

    assert [str(problem) for problem in library.problems] == []
    assert any(
        path.name.startswith(rubric.id.replace("_", "-")) for rubric in library.rubrics.values()
    )
