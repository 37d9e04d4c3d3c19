"""schemathesis over /api/v1/openapi.json with all its default checks, as an admin key of the
demo organisation: every operation, valid and invalid generated requests and the documented
examples, no failure."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from sqlmodel import Session

from app.demo import load_demo
from app.settings import Settings
from tests.factories import make_api_key

EXAMPLES_PER_OPERATION = 20
# Where a schema-valid request may still be refused with 422 because the API checks meaning
# the schema cannot say: a rubric or profile document's rules (anchors for every level,
# known criterion ids...), a cursor that this API did not give out for that list, and the
# rows of an imported CSV file (a string to the schema), a document template that uses
# another document's data (a posting's fields in the sheet template).
SEMANTIC_422 = [
    r"^/api/v1/templates/[^/]+(/preview)?$",
    r"^/api/v1/(rubrics|profiles)(/.*)?$",
    r"^/api/v1/(vacancies|candidates|applications)$",
    r"^/api/v1/imports$",
]
CONFIG = schemathesis.Config.from_dict(
    {
        "operations": [
            {
                "include-path-regex": pattern,
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": ["2xx", "401", "403", "404", "409", "422"]
                    }
                },
            }
            for pattern in SEMANTIC_422
        ]
    }
)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # Thousands of requests in a minute: the rate limit is not what is under test here.
    # Webhook URLs are not resolved here (no network): SSRF checks have their own tests.
    return settings.model_copy(
        update={
            "api_rate_limit_per_minute": 1_000_000,
            "webhooks_allow_http": True,
            "webhooks_allow_internal": True,
        }
    )


def test_every_operation_keeps_its_openapi_promises(app, db: Session) -> None:  # noqa: ANN001
    _, secret = make_api_key(db, organisation=load_demo(db), scopes=["admin"])
    db.commit()
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app, config=CONFIG)
    headers = {"Authorization": f"Bearer {secret}"}
    failures: dict[str, str] = {}
    operations = [result.ok() for result in schema.get_all_operations()]

    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @hypothesis_settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                derandomize=True,
                database=None,
            )
            def run(case) -> None:  # noqa: ANN001
                case.call_and_validate(headers=headers)

            try:
                run()
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001  (collect them all)
                failures[f"{operation.label} ({mode.value})"] = str(exc)[:1500]

        # The examples phase: each documented example is sent as it is (ids it leaves out are
        # drawn), so an example the API refuses is a failure too.
        for number, strategy in enumerate(operation.get_strategies_from_examples(), 1):

            @given(case=strategy)
            @hypothesis_settings(
                max_examples=1,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                derandomize=True,
                database=None,
            )
            def send(case) -> None:  # noqa: ANN001
                case.call_and_validate(headers=headers)

            try:
                send()
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001  (collect them all)
                failures[f"{operation.label} (example {number})"] = str(exc)[:1500]

    assert len(operations) >= 40
    assert failures == {}, "\n\n".join(f"{label}: {text}" for label, text in failures.items())
