"""The OpenAPI document is complete (issue #7): every operation under /api/v1 has a summary, a
description, parameters with schemas, a request body with a schema and an example, a success
answer with a schema (or a non-JSON media type), and its problem answers; every example fits
its schema, and the document examples the schema cannot judge are accepted by the API."""

import re
from typing import Any

import jsonschema_rs
import pytest
import yaml
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Organisation
from tests.factories import make_api_key, make_organisation

API = "/api/v1/"
METHODS = ("get", "put", "post", "delete", "patch")
PROBLEM = "application/problem+json"
# Problems every operation can give, whatever it does.
REQUIRED_PROBLEMS = ("401", "403", "422")


@pytest.fixture
def document(app) -> dict[str, Any]:  # noqa: ANN001
    return app.openapi()


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (f"{method.upper()} {path}", path, operation)
        for path, item in document["paths"].items()
        if path.startswith(API)
        for method, operation in item.items()
        if method in METHODS
    ]


def resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follows "#/components/..." references to the schema they name."""
    while "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def is_json(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


def media_examples(document: dict[str, Any], media: dict[str, Any]) -> list[Any]:
    """The examples of a media type: its own, else those of its (referenced) schema."""
    if "example" in media:
        return [media["example"]]
    if "examples" in media:
        return [example["value"] for example in media["examples"].values()]
    schema = resolve(document, media.get("schema", {}))
    return list(schema.get("examples", []))


def what_is_missing(document: dict[str, Any], path: str, operation: dict[str, Any]) -> list[str]:
    missing = []
    if not operation.get("summary"):
        missing.append("a summary")
    if not operation.get("description"):
        missing.append("a description")

    parameters = operation.get("parameters", [])
    for parameter in parameters:
        if not parameter.get("schema"):
            missing.append(f"a schema for the {parameter['in']} parameter {parameter['name']}")
    documented = {p["name"] for p in parameters if p["in"] == "path"}
    for name in re.findall(r"{(\w+)}", path):
        if name not in documented:
            missing.append(f"the path parameter {name}")

    body = operation.get("requestBody")
    if body is not None:
        if not body.get("content"):
            missing.append("the request body's media types")
        for media_type, media in body.get("content", {}).items():
            if not media.get("schema"):
                missing.append(f"a request body schema for {media_type}")
            if not media_examples(document, media):
                missing.append(f"a request body example for {media_type}")

    successes = {s: r for s, r in operation["responses"].items() if s.startswith("2")}
    if not successes:
        missing.append("a 2xx response")
    for status, response in successes.items():
        content = response.get("content", {})
        if status == "204":
            if content:
                missing.append("no content on 204")
            continue
        if not content:
            missing.append(f"the media types of {status}")
        for media_type, media in content.items():
            # JSON is described by a schema; a PDF, CSV or HTML answer by its media type.
            if is_json(media_type) and not media.get("schema"):
                missing.append(f"a schema for the {status} {media_type} answer")

    for status in REQUIRED_PROBLEMS:
        if status not in operation["responses"]:
            missing.append(f"the {status} response")
    for status, response in operation["responses"].items():
        if status[0] in "45":
            content = response.get("content", {})
            if set(content) != {PROBLEM} or not content[PROBLEM].get("schema"):
                missing.append(f"{status} as {PROBLEM} with the Problem schema")
    return missing


def test_every_operation_documents_summary_parameters_schemas_examples_and_errors(
    document: dict[str, Any],
) -> None:
    found = operations(document)
    gaps = {label: what_is_missing(document, path, op) for label, path, op in found}
    gaps = {label: missing for label, missing in gaps.items() if missing}

    assert len(found) >= 60
    assert gaps == {}, "operations lacking something:\n" + "\n".join(
        f"  {label}: lacks {', '.join(missing)}" for label, missing in gaps.items()
    )


def examples_with_schemas(document: dict[str, Any]) -> list[tuple[str, Any, dict[str, Any]]]:
    """Every example of a request body, parameter or response, with the schema it must fit."""
    found = []
    for label, _, operation in operations(document):
        for parameter in operation.get("parameters", []):
            schema = parameter.get("schema", {})
            for example in schema.get("examples", []):
                found.append((f"{label} parameter {parameter['name']}", example, schema))
        places = [("request body", operation.get("requestBody", {}))]
        places += [(f"response {s}", r) for s, r in operation["responses"].items()]
        for place, holder in places:
            for media_type, media in holder.get("content", {}).items():
                schema = media.get("schema")
                for example in media_examples(document, media) if schema else []:
                    found.append((f"{label} {place} {media_type}", example, schema))
    return found


def test_every_example_fits_its_schema(document: dict[str, Any]) -> None:
    examples = examples_with_schemas(document)
    misfits = []
    for label, example, schema in examples:
        # References point into the whole document ("#/components/schemas/..."): the schema is
        # checked with the document's components beside it.
        validator = jsonschema_rs.validator_for(
            {**schema, "components": document["components"]}, validate_formats=True
        )
        errors = [error.message for error in validator.iter_errors(example)]
        if errors:
            misfits.append(f"  {label}: {'; '.join(errors[:3])}")

    assert len(examples) >= 25
    assert misfits == [], "examples that do not fit their schema:\n" + "\n".join(misfits)


def body_example(document: dict[str, Any], method: str, path: str, media_type: str) -> Any:
    media = document["paths"][path][method]["requestBody"]["content"][media_type]
    return media_examples(document, media)[0]


def test_the_document_examples_are_accepted_by_the_api(
    client: TestClient, document: dict[str, Any], db: Session, demo: Organisation
) -> None:
    # The schema cannot say a rubric needs an anchor per level or that a profile picks known
    # criteria, so these examples are sent for real: imported as YAML into one organisation
    # (then saved again with the PUT examples), created from JSON in another.
    _, secret = make_api_key(db, organisation=demo, scopes=["admin"])
    _, other_secret = make_api_key(db, organisation=make_organisation(db), scopes=["admin"])
    db.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    other = {"Authorization": f"Bearer {other_secret}"}

    for kind in ("rubrics", "profiles"):
        imported = client.post(
            f"{API}{kind}/import",
            content=yaml.safe_dump(
                body_example(document, "post", f"{API}{kind}/import", "application/yaml"),
                allow_unicode=True,
            ),
            headers={**headers, "Content-Type": "application/yaml"},
        )
        assert imported.status_code == 201, imported.text
        item = f"{API}{kind}/{{{kind[:-1]}_id}}"
        saved = client.put(
            f"{API}{kind}/{imported.json()['id']}",
            json=body_example(document, "put", item, "application/json"),
            headers=headers,
        )
        assert saved.status_code == 200, saved.text

        created = client.post(
            f"{API}{kind}",
            json=body_example(document, "post", f"{API}{kind}", "application/json"),
            headers=other,
        )
        assert created.status_code == 201, created.text
        assert body_example(
            document, "post", f"{API}{kind}/import", "application/json"
        ) == body_example(document, "post", f"{API}{kind}", "application/json")

    # A template example must render the document its name parameter's example names.
    name = document["paths"][f"{API}templates/{{name}}"]["put"]["parameters"][0]["schema"]
    template = client.put(
        f"{API}templates/{name['examples'][0]}",
        json=body_example(document, "put", f"{API}templates/{{name}}", "application/json"),
        headers=headers,
    )
    assert template.status_code == 200, template.text
