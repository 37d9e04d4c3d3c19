"""REST operations on rubrics, their criteria and role profiles."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request, Response

from app import audit
from app.api.contract import RawBody
from app.api.problems import PROBLEM_RESPONSES
from app.deps import ApiCaller, DbSession, require_scope
from app.errors import NotFound
from app.rubrics import service
from app.rubrics.examples import PROFILE_EXAMPLE, RUBRIC_EXAMPLE, upload_body
from app.rubrics.exchange import ExportFormat, download, parse_text
from app.rubrics.schema import Category
from app.rubrics.schemas import (
    CloneRequest,
    CriterionDetail,
    CriterionSummary,
    ProfileDetail,
    ProfileSummary,
    RubricDetail,
    RubricSummary,
)
from app.rubrics.seed import SEED_LISTS

router = APIRouter()
ReadCaller = Annotated[ApiCaller, require_scope("profiles:read")]
WriteCaller = Annotated[ApiCaller, require_scope("profiles:write")]
READ_ERRORS = {status: PROBLEM_RESPONSES[status] for status in (401, 403, 404, 422)}
WRITE_ERRORS = {
    **READ_ERRORS,
    409: {**PROBLEM_RESPONSES[404], "description": "Built-in, or the id is taken"},
}
# A document is checked for meaning (anchors, known criteria...), not by a JSON schema: the
# examples show what a valid one looks like.
RubricDocument = Annotated[
    dict[str, Any],
    Body(openapi_examples={"community_care": {"summary": "A rubric", "value": RUBRIC_EXAMPLE}}),
]
ProfileDocument = Annotated[
    dict[str, Any],
    Body(openapi_examples={"smm_shelter": {"summary": "A role profile", "value": PROFILE_EXAMPLE}}),
]
# The export answers with the document in the format asked for (the schema is its data).
EXPORT_RESPONSES = {
    **READ_ERRORS,
    200: {
        "description": "The document as a file to save",
        "content": {
            "application/yaml": {"schema": {"type": "object"}},
            "application/json": {"schema": {"type": "object"}},
        },
    },
}
SeedListFilter = Annotated[
    str | None, Query(description=f"Only criteria citing this seed list: {', '.join(SEED_LISTS)}.")
]
TextFilter = Annotated[
    str | None,
    Query(max_length=200, description="Words in an id, title, description or seed text."),
]


def _audit(
    db: DbSession,
    caller: ApiCaller,
    action: str,
    object_type: str,
    object_id: uuid.UUID,
    version_id: uuid.UUID,
) -> None:
    audit.record_call(
        db,
        caller,
        action=action,
        object_type=object_type,
        object_id=object_id,
        details={"version_id": str(version_id)},
    )


def _uploaded(request: Request, body: bytes) -> Any:
    text = body.decode("utf-8", errors="replace")
    return parse_text(text, request.headers.get("content-type", "application/yaml"))


# --- rubrics and criteria ---------------------------------------------------------------------


@router.get("/rubrics", tags=["rubrics"], responses=READ_ERRORS)
def list_rubrics(
    db: DbSession,
    caller: ReadCaller,
    category: Annotated[
        Category | None, Query(description="Only rubrics feeding this part of the score.")
    ] = None,
    seed_list: SeedListFilter = None,
    q: TextFilter = None,
) -> list[RubricSummary]:
    """Lists your organisation's rubrics, and the built-in ones it has not cloned."""
    found = service.search_rubrics(
        db, organisation_id=caller.organisation.id, category=category, seed_list=seed_list, text=q
    )
    return [RubricSummary.of(stored) for stored in found]


def rubric_of_caller(
    rubric_id: uuid.UUID, db: DbSession, caller: ReadCaller
) -> service.StoredRubric:
    return service.rubric_by_id(db, organisation_id=caller.organisation.id, rubric_id=rubric_id)


CallerRubric = Annotated[service.StoredRubric, Depends(rubric_of_caller)]


@router.get("/rubrics/{rubric_id}", tags=["rubrics"], responses=READ_ERRORS)
def get_rubric(stored: CallerRubric) -> RubricDetail:
    """Returns a rubric's latest version with its whole document."""
    return RubricDetail.of(stored)


@router.get(
    "/rubrics/{rubric_id}/export",
    tags=["rubrics"],
    responses=EXPORT_RESPONSES,
    response_class=Response,
)
def export_rubric(stored: CallerRubric, format: ExportFormat = "yaml") -> Response:
    """Downloads the rubric's document as YAML or JSON, ready to import elsewhere."""
    return download(service.dump(stored.document), stored.row.key, format)


@router.post("/rubrics", tags=["rubrics"], status_code=201, responses=WRITE_ERRORS)
def create_rubric(db: DbSession, caller: WriteCaller, document: RubricDocument) -> RubricDetail:
    """Creates your organisation's own rubric from a document (see the rubric schema)."""
    stored = service.create_rubric(db, organisation_id=caller.organisation.id, data=document)
    _audit(db, caller, "rubric.created", "rubric", stored.row.id, stored.version.id)
    return RubricDetail.of(stored)


@router.post(
    "/rubrics/import",
    tags=["rubrics"],
    status_code=201,
    responses=WRITE_ERRORS,
    openapi_extra=upload_body(RUBRIC_EXAMPLE),
)
def import_rubric(
    request: Request, caller: WriteCaller, db: DbSession, body: RawBody
) -> RubricDetail:
    """Creates your organisation's rubric from an exported YAML or JSON file (Content-Type)."""
    data = _uploaded(request, body)
    stored = service.create_rubric(db, organisation_id=caller.organisation.id, data=data)
    _audit(db, caller, "rubric.imported", "rubric", stored.row.id, stored.version.id)
    return RubricDetail.of(stored)


@router.put("/rubrics/{rubric_id}", tags=["rubrics"], responses=WRITE_ERRORS)
def update_rubric(
    rubric_id: uuid.UUID,
    db: DbSession,
    caller: WriteCaller,
    document: RubricDocument,
) -> RubricDetail:
    """Saves a new version of your organisation's rubric (the same content keeps the version)."""
    stored = service.update_rubric(
        db, organisation_id=caller.organisation.id, rubric_id=rubric_id, data=document
    )
    _audit(db, caller, "rubric.updated", "rubric", stored.row.id, stored.version.id)
    return RubricDetail.of(stored)


@router.post(
    "/rubrics/{rubric_id}/clone", tags=["rubrics"], status_code=201, responses=WRITE_ERRORS
)
def clone_rubric(rubric_id: uuid.UUID, db: DbSession, caller: WriteCaller) -> RubricDetail:
    """Copies a built-in rubric into your organisation, where the copy replaces it."""
    stored = service.clone_rubric(db, organisation_id=caller.organisation.id, rubric_id=rubric_id)
    _audit(db, caller, "rubric.cloned", "rubric", stored.row.id, stored.version.id)
    return RubricDetail.of(stored)


@router.get("/criteria", tags=["rubrics"], responses=READ_ERRORS)
def list_criteria(
    db: DbSession,
    caller: ReadCaller,
    category: Annotated[Category | None, Query()] = None,
    seed_list: SeedListFilter = None,
    q: TextFilter = None,
) -> list[CriterionSummary]:
    """Searches the criteria your organisation's profiles can pick."""
    found = service.criteria_for(db, organisation_id=caller.organisation.id)
    return [
        CriterionSummary(
            id=criterion.id,
            rubric_id=stored.row.id,
            rubric_key=stored.row.key,
            category=stored.document.category,
            title=criterion.title,
            description=criterion.description,
            weight=criterion.weight,
            seed_sources=[f"{ref.list}.{ref.item}" for ref in criterion.source],
        )
        for stored, criterion in found.values()
        if (category is None or stored.document.category == category)
        and service.criterion_matches(criterion, seed_list=seed_list, text=q)
    ]


@router.get("/criteria/{criterion_id}", tags=["rubrics"], responses=READ_ERRORS)
def get_criterion(criterion_id: str, db: DbSession, caller: ReadCaller) -> CriterionDetail:
    """Returns one criterion with its anchors, questions, work sample and seed sources."""
    found = service.criteria_for(db, organisation_id=caller.organisation.id).get(criterion_id)
    if found is None:
        raise NotFound(f"no criterion {criterion_id!r}")
    stored, criterion = found
    return CriterionDetail(
        rubric_id=stored.row.id,
        rubric_key=stored.row.key,
        category=stored.document.category,
        criterion=criterion,
    )


# --- role profiles ----------------------------------------------------------------------------


@router.get("/profiles", tags=["profiles"], responses=READ_ERRORS)
def list_profiles(
    db: DbSession,
    caller: ReadCaller,
    builtin: Annotated[bool, Query(description="Include the built-in profiles.")] = True,
    q: TextFilter = None,
) -> list[ProfileSummary]:
    """Lists your organisation's role profiles, then the built-in ones."""
    found = service.visible_profiles(
        db, organisation_id=caller.organisation.id, include_builtin=builtin
    )
    needle = (q or "").casefold()
    return [
        ProfileSummary.of(stored)
        for stored in found
        if needle
        in f"{stored.row.key} {stored.document.title.ru} {stored.document.title.en}".casefold()
    ]


def profile_of_caller(
    profile_id: uuid.UUID, db: DbSession, caller: ReadCaller
) -> service.StoredProfile:
    return service.profile_by_id(db, organisation_id=caller.organisation.id, profile_id=profile_id)


CallerProfile = Annotated[service.StoredProfile, Depends(profile_of_caller)]


@router.get("/profiles/{profile_id}", tags=["profiles"], responses=READ_ERRORS)
def get_profile(stored: CallerProfile) -> ProfileDetail:
    """Returns a role profile's latest version, with the rubric versions it is built on."""
    return ProfileDetail.of(stored)


@router.get(
    "/profiles/{profile_id}/export",
    tags=["profiles"],
    responses=EXPORT_RESPONSES,
    response_class=Response,
)
def export_profile(stored: CallerProfile, format: ExportFormat = "yaml") -> Response:
    """Downloads the profile's document as YAML or JSON."""
    return download(service.dump(stored.document), stored.row.key, format)


@router.post("/profiles", tags=["profiles"], status_code=201, responses=WRITE_ERRORS)
def create_profile(db: DbSession, caller: WriteCaller, document: ProfileDocument) -> ProfileDetail:
    """Creates a role profile by picking criteria, weights, must-haves, stages and terms."""
    stored = service.create_profile(db, organisation_id=caller.organisation.id, data=document)
    _audit(db, caller, "profile.created", "role_profile", stored.row.id, stored.version.id)
    return ProfileDetail.of(stored)


@router.post(
    "/profiles/import",
    tags=["profiles"],
    status_code=201,
    responses=WRITE_ERRORS,
    openapi_extra=upload_body(PROFILE_EXAMPLE),
)
def import_profile(
    request: Request, caller: WriteCaller, db: DbSession, body: RawBody
) -> ProfileDetail:
    """Creates a role profile from an exported YAML or JSON file (Content-Type)."""
    data = _uploaded(request, body)
    stored = service.create_profile(db, organisation_id=caller.organisation.id, data=data)
    _audit(db, caller, "profile.imported", "role_profile", stored.row.id, stored.version.id)
    return ProfileDetail.of(stored)


@router.put("/profiles/{profile_id}", tags=["profiles"], responses=WRITE_ERRORS)
def update_profile(
    profile_id: uuid.UUID,
    db: DbSession,
    caller: WriteCaller,
    document: ProfileDocument,
) -> ProfileDetail:
    """Saves a new version of your organisation's profile (vacancies keep the version they used)."""
    stored = service.update_profile(
        db, organisation_id=caller.organisation.id, profile_id=profile_id, data=document
    )
    _audit(db, caller, "profile.updated", "role_profile", stored.row.id, stored.version.id)
    return ProfileDetail.of(stored)


@router.post(
    "/profiles/{profile_id}/clone", tags=["profiles"], status_code=201, responses=WRITE_ERRORS
)
def clone_profile(
    profile_id: uuid.UUID,
    db: DbSession,
    caller: WriteCaller,
    clone: Annotated[
        CloneRequest | None,
        Body(
            openapi_examples={"new_id": {"summary": "The copy's id", "value": {"key": "smm_lapy"}}}
        ),
    ] = None,
) -> ProfileDetail:
    """Copies a profile (built-in or your own) into an editable profile of your organisation."""
    stored = service.clone_profile(
        db,
        organisation_id=caller.organisation.id,
        profile_id=profile_id,
        new_key=clone.key if clone else None,
    )
    _audit(db, caller, "profile.cloned", "role_profile", stored.row.id, stored.version.id)
    return ProfileDetail.of(stored)
