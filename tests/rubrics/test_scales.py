"""Rating scales: 2-10 whole levels from 0 or 1, and must-have thresholds on them.

Each bad scale is refused by the schema, by `smm-hire rubrics check` (file:line, exit 1) and by
the API (422 naming the field, nothing written)."""

import copy
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.rubrics.test_api import profile_by_key, rubric_by_key
from tests.rubrics.test_checks import problems_of, rubric_document, text
from tests.rubrics.test_checks import write_rubric as write_yaml
from tests.test_cli import SMM_HIRE

LABELS = {level: text(f"label {level}") for level in (1, 2, 3, 4)}
# (case, levels, the message: what is wrong and the fix)
BAD_SCALES = [
    ("no levels", [], "a scale has 2 to 10 levels, not 0: e.g. levels: [1, 2, 3, 4]"),
    (
        "eleven levels",
        list(range(1, 12)),
        "a scale has 2 to 10 levels, not 11: e.g. levels: [1, 2, 3, 4]",
    ),
    (
        "a fractional level",
        [1, 1.5, 2, 3],
        "level 1.5 is not a whole number: use whole numbers, e.g. levels: [1, 2, 3, 4]",
    ),
    (
        "a whole number written as a fraction",
        [1.0, 2, 3, 4],
        "level 1.0 is not a whole number: use whole numbers, e.g. levels: [1, 2, 3, 4]",
    ),
    ("a negative level", [-1, 0, 1, 2], "level -1 is negative: start the scale at 0 or 1"),
    (
        "a gap",
        [1, 2, 4, 5],
        "levels must be consecutive, lowest first, with no gaps or repeats: "
        "use levels: [1, 2, 3, 4]",
    ),
    (
        "starting at 2",
        [2, 3, 4, 5],
        "the scale starts at 2: start it at 0 or 1, e.g. levels: [1, 2, 3, 4]",
    ),
    (
        "a level over 255",
        [1, 256],
        "level 256 is over 255, the highest rating that can be stored: "
        "use 2 to 10 levels from 0 or 1",
    ),
]
CASES = pytest.mark.parametrize(
    ("levels", "message"),
    [(levels, message) for _, levels, message in BAD_SCALES],
    ids=[case for case, _, _ in BAD_SCALES],
)


def with_scale(document: dict, levels: list) -> dict:
    document = copy.deepcopy(document)
    document["scale"] = {"levels": levels, "labels": copy.deepcopy(LABELS)}
    return document


def with_whole_scale(document: dict, levels: list[int]) -> dict:
    """The document on the given (good) scale, with a label and an anchor for each level."""
    document = copy.deepcopy(document)
    document["scale"] = {"levels": levels, "labels": {n: text(f"label {n}") for n in levels}}
    for section in document["sections"]:
        for criterion in section["criteria"]:
            criterion["anchors"] = {n: text(f"level {n}") for n in levels}
    return document


@CASES
def test_the_schema_refuses_a_bad_scale_saying_the_fix(levels: list, message: str) -> None:
    assert problems_of(with_scale(rubric_document(), levels)) == [f"scale.levels: {message}"]


@pytest.mark.parametrize("levels", [[0, 1], [0, 1, 2, 3], [1, 2, 3, 4, 5], list(range(1, 11))])
def test_scales_from_0_or_1_of_2_to_10_levels_are_fine(levels: list[int]) -> None:
    assert problems_of(with_whole_scale(rubric_document(), levels)) == []


def test_every_level_needs_a_label() -> None:
    document = with_whole_scale(rubric_document(), [0, 1, 2, 3])
    del document["scale"]["labels"][0]

    assert problems_of(document) == [
        "scale.labels: give one label for each level [0, 1, 2, 3] and no other"
    ]


@CASES
def test_the_check_command_names_the_levels_line_and_fails(
    tmp_path: Path, levels: list, message: str
) -> None:
    path = write_yaml(tmp_path, "scale.yaml", with_scale(rubric_document(), levels))
    lines = path.read_text().splitlines()
    levels_line = next(n for n, line in enumerate(lines, 1) if line.strip().startswith("levels:"))

    result = subprocess.run(
        [SMM_HIRE, "rubrics", "check", str(path)], capture_output=True, text=True, cwd=tmp_path
    )

    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == f"scale.yaml:{levels_line}: scale.levels: {message}"


def own_rubric_document() -> dict:
    document = rubric_document()
    document["id"] = "own_scale"
    for section in document["sections"]:
        for criterion in section["criteria"]:
            criterion["id"] = criterion["id"].replace("sample.", "own_scale.")
    return document


@CASES
def test_the_api_refuses_a_bad_scale_with_422_naming_the_field(
    api: httpx.Client,
    levels: list,
    message: str,
) -> None:
    answer = api.post("/api/v1/rubrics", json=with_scale(own_rubric_document(), levels))

    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["errors"] == [{"field": "body.scale.levels", "detail": message}]
    assert "own_scale" not in {rubric["key"] for rubric in api.get("/api/v1/rubrics").json()}


@CASES
def test_an_update_to_a_bad_scale_is_refused_and_keeps_the_version(
    api: httpx.Client,
    levels: list,
    message: str,
) -> None:
    built_in = rubric_by_key(api, "organisation")
    clone = api.post(f"/api/v1/rubrics/{built_in['id']}/clone").json()
    document = clone["document"]
    document["scale"] = {"levels": levels, "labels": document["scale"]["labels"]}

    answer = api.put(f"/api/v1/rubrics/{clone['id']}", json=document)

    assert answer.status_code == 422
    assert answer.json()["errors"] == [{"field": "body.scale.levels", "detail": message}]
    assert api.get(f"/api/v1/rubrics/{clone['id']}").json()["latest"]["version"] == 1


def test_a_scale_from_0_is_accepted_by_the_api(api: httpx.Client) -> None:
    answer = api.post("/api/v1/rubrics", json=with_whole_scale(own_rubric_document(), [0, 1, 2]))

    assert answer.status_code == 201, answer.text
    assert answer.json()["document"]["scale"]["levels"] == [0, 1, 2]


def weekend_editor(min_rating: object) -> dict:
    picked = ["implementation.editorial_calendar", "organisation.deadlines"]
    return {
        "id": "weekend_editor",
        "title": {"ru": "Редактор выходного дня", "en": "Weekend editor"},
        "summary": {"ru": "Ведёт публикации по выходным.", "en": "Runs the weekend posts."},
        "level": "junior",
        "section_weights": {"duties": 50, "organisation": 50},
        "criteria": [{"id": criterion_id} for criterion_id in picked],
        "must_haves": [{"criterion": "organisation.deadlines", "min_rating": min_rating}],
        "stages": [{"stage": "interview", "criteria": picked}],
    }


@pytest.mark.parametrize(
    ("min_rating", "detail"),
    [
        (5, "5 is outside the scale of organisation.deadlines, 1 to 4: choose a level from 1 to 4"),
        (0, "0 is outside the scale of organisation.deadlines, 1 to 4: choose a level from 1 to 4"),
        (
            -1,
            "-1 is not a level: a must-have threshold is a whole level of the criterion's "
            "scale, e.g. 3",
        ),
        (
            2.5,
            "2.5 is not a level: a must-have threshold is a whole level of the criterion's "
            "scale, e.g. 3",
        ),
        (
            3.0,
            "3.0 is not a level: a must-have threshold is a whole level of the criterion's "
            "scale, e.g. 3",
        ),
    ],
)
def test_a_must_have_threshold_off_the_scale_is_refused_naming_it(
    api: httpx.Client,
    min_rating: object,
    detail: str,
) -> None:
    answer = api.post("/api/v1/profiles", json=weekend_editor(min_rating))

    assert answer.status_code == 422
    assert answer.json()["errors"] == [{"field": "body.must_haves.0.min_rating", "detail": detail}]
    assert api.get("/api/v1/profiles", params={"builtin": False}).json() == []


def test_an_update_with_a_threshold_off_the_scale_is_refused(api: httpx.Client) -> None:
    built_in = profile_by_key(api, "community_manager")
    clone = api.post(f"/api/v1/profiles/{built_in['id']}/clone", json={"key": "spb"}).json()
    document = clone["document"]
    document["must_haves"][0]["min_rating"] = 9

    answer = api.put(f"/api/v1/profiles/{clone['id']}", json=document)

    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "body.must_haves.0.min_rating"
    assert "9 is outside the scale" in answer.json()["errors"][0]["detail"]
    assert api.get(f"/api/v1/profiles/{clone['id']}").json()["latest"]["version"] == 1


def test_a_rubric_cannot_shrink_its_scale_below_a_profiles_threshold(
    api: httpx.Client,
) -> None:
    built_in = rubric_by_key(api, "organisation")
    clone = api.post(f"/api/v1/rubrics/{built_in['id']}/clone").json()
    assert api.post("/api/v1/profiles", json=weekend_editor(4)).status_code == 201
    document = clone["document"]
    document["scale"]["levels"] = [1, 2, 3]
    del document["scale"]["labels"]["4"]
    for criterion in document["sections"][0]["criteria"]:
        del criterion["anchors"]["4"]

    answer = api.put(f"/api/v1/rubrics/{clone['id']}", json=document)

    assert answer.status_code == 409
    [error] = answer.json()["errors"]
    assert error["field"] == "scale.levels"
    assert error["detail"].startswith(
        "profile 'weekend_editor' needs 'organisation.deadlines' at level 4 or above "
        "(must_haves.0.min_rating)"
    )
    assert api.get(f"/api/v1/rubrics/{clone['id']}").json()["latest"]["version"] == 1
