"""Pages: the rubric library, criterion pages, role profiles and the profile builder."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from app import audit
from app.deps import CurrentUser, DbSession, ProfileManager
from app.errors import AppError, Conflict, NotFound
from app.models import User
from app.profiles.checks import stage_warnings
from app.profiles.forms import draft_from_form, form_state
from app.profiles.schema import FunnelStage, InterviewStage, Level, Platform, StagePlan
from app.profiles.weights import section_weights
from app.rubrics import service
from app.rubrics.checks import Problem
from app.rubrics.exchange import ExportFormat, download
from app.rubrics.schema import Category
from app.rubrics.seed import SEED_LISTS
from app.web.pages import CsrfChecked, PostedForm, render

router = APIRouter(include_in_schema=False)


@router.get("/library", name="library")
def library(
    request: Request,
    db: DbSession,
    user: CurrentUser,
    category: Annotated[Category | None, Query()] = None,
    seed_list: Annotated[str | None, Query()] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """Lists the criteria of the rubric library, filtered."""
    seed_list = seed_list if seed_list in SEED_LISTS else None
    rubrics = service.visible_rubrics(db, organisation_id=user.organisation_id)
    groups = [
        (
            stored,
            [
                criterion
                for criterion in stored.document.criteria()
                if service.criterion_matches(criterion, seed_list=seed_list, text=q)
            ],
        )
        for stored in rubrics
        if category is None or stored.document.category == category
    ]
    groups = [(stored, criteria) for stored, criteria in groups if criteria]
    return render(
        request,
        "library/index.html",
        user=user,
        groups=groups,
        found=sum(len(criteria) for _, criteria in groups),
        filters={
            "category": category.value if category else "",
            "seed_list": seed_list or "",
            "q": q or "",
        },
    )


@router.get("/library/criteria/{criterion_id}", name="criterion")
def criterion_page(
    request: Request, criterion_id: str, db: DbSession, user: CurrentUser
) -> Response:
    """Shows one criterion: anchors, indicators, questions, work sample and seed source."""
    criteria = service.criteria_for(db, organisation_id=user.organisation_id)
    if criterion_id not in criteria:
        raise NotFound(f"no criterion {criterion_id!r}")
    stored, criterion = criteria[criterion_id]
    related = [criteria[other] for other in criterion.related if other in criteria]
    return render(
        request,
        "library/criterion.html",
        user=user,
        stored=stored,
        criterion=criterion,
        related=related,
    )


@router.get("/profiles", name="profiles")
def profiles(request: Request, db: DbSession, user: CurrentUser) -> Response:
    """Lists the organisation's role profiles and the built-in ones."""
    found = service.visible_profiles(db, organisation_id=user.organisation_id)
    return render(
        request,
        "profiles/index.html",
        user=user,
        own=[stored for stored in found if not stored.is_builtin],
        builtin=[stored for stored in found if stored.is_builtin],
        can_manage=_can_manage(user),
    )


def _can_manage(user: User) -> bool:
    return user.role in ("admin", "hr")


@router.get("/profiles/new", name="new_profile")
def new_profile_form(request: Request, db: DbSession, user: ProfileManager) -> Response:
    """The profile builder: pick the items the role must meet."""
    return _builder(request, db, user, draft=EMPTY_DRAFT, stored=None)


@router.post("/profiles/new", dependencies=[CsrfChecked])
def create_profile(
    request: Request, db: DbSession, user: ProfileManager, form: PostedForm
) -> Response:
    """Creates the profile; problems show the form again with what was entered."""
    draft = draft_from_form(form)
    try:
        stored = service.create_profile(
            db, organisation_id=user.organisation_id, data=draft, created_by=user
        )
    except (service.DocumentInvalid, Conflict) as exc:
        return _builder(
            request, db, user, draft=draft, stored=None, problems=_problems_of(exc), status_code=400
        )
    _audit(db, user, "profile.created", stored)
    return RedirectResponse(
        request.url_for("profile", profile_id=stored.row.id).path, status_code=303
    )


@router.get("/profiles/{profile_id}", name="profile")
def profile_page(
    request: Request, profile_id: uuid.UUID, db: DbSession, user: CurrentUser
) -> Response:
    """Shows a role profile: weights as bars, criteria, must-haves, stages, terms."""
    stored = service.profile_by_id(db, organisation_id=user.organisation_id, profile_id=profile_id)
    criteria = {
        criterion_id: (rubric.document, criterion)
        for criterion_id, (rubric, criterion) in service.criteria_for(
            db, organisation_id=user.organisation_id
        ).items()
    }
    return render(
        request,
        "profiles/profile.html",
        user=user,
        stored=stored,
        profile=stored.document,
        sections=section_weights(stored.document, criteria),
        musts={must.criterion: must.min_rating for must in stored.document.must_haves},
        can_manage=_can_manage(user),
        warnings=stage_warnings(stored.document.stages),
    )


@router.get("/profiles/{profile_id}/export", name="export_profile")
def export_profile(
    profile_id: uuid.UUID, db: DbSession, user: CurrentUser, format: ExportFormat = "yaml"
) -> Response:
    """Downloads the profile as YAML or JSON (to import in another organisation or the API)."""
    stored = service.profile_by_id(db, organisation_id=user.organisation_id, profile_id=profile_id)
    return download(service.dump(stored.document), stored.row.key, format)


@router.post("/profiles/{profile_id}/clone", name="clone_profile", dependencies=[CsrfChecked])
def clone_profile(
    request: Request, profile_id: uuid.UUID, db: DbSession, user: ProfileManager
) -> Response:
    """Copies a profile into the organisation and opens the copy in the builder."""
    original = service.profile_by_id(
        db, organisation_id=user.organisation_id, profile_id=profile_id
    )
    key = _free_key(db, user, original.row.key)
    stored = service.clone_profile(
        db,
        organisation_id=user.organisation_id,
        profile_id=profile_id,
        new_key=key,
        created_by=user,
    )
    _audit(db, user, "profile.cloned", stored)
    return RedirectResponse(
        request.url_for("edit_profile", profile_id=stored.row.id).path, status_code=303
    )


def _free_key(db: DbSession, user: User, key: str) -> str:
    taken = {
        stored.row.key
        for stored in service.visible_profiles(
            db, organisation_id=user.organisation_id, include_builtin=False
        )
    }
    candidate, number = key, 1
    while candidate in taken:
        number += 1
        candidate = f"{key}_{number}"
    return candidate


def _audit(db: DbSession, user: User, action: str, stored: service.StoredProfile) -> None:
    audit.record(
        db,
        organisation_id=user.organisation_id,
        action=action,
        object_type="role_profile",
        object_id=stored.row.id,
        actor_user_id=user.id,
        details={"version_id": str(stored.version.id)},
    )


def _builder(
    request: Request,
    db: DbSession,
    user: User,
    *,
    draft: dict[str, Any],
    stored: service.StoredProfile | None,
    problems: list[Problem] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "profiles/builder.html",
        user=user,
        status_code=status_code,
        draft=draft,
        state=form_state(draft),
        stored=stored,
        problems=problems or [],
        warnings=stage_warnings(_stage_plans(draft)),
        rubrics=service.visible_rubrics(db, organisation_id=user.organisation_id),
        categories=list(Category),
        levels=list(Level),
        stages=list(InterviewStage),
        platforms=list(Platform),
        funnels=list(FunnelStage),
    )


EMPTY_DRAFT: dict[str, Any] = {
    "id": "",
    "title": {"ru": "", "en": ""},
    "summary": {"ru": "", "en": ""},
    "level": "middle",
    "section_weights": {"experience": 20, "organisation": 15, "core_traits": 30, "duties": 35},
    "criteria": [],
    "must_haves": [],
    "experience": {"min_years": 0, "max_years": None},
    "platforms": {"required": [], "optional": []},
    "kpis": [],
    "stages": [],
    "context": {"cause": "", "audience": "", "tone": "friendly"},
    "terms": {
        "location": "",
        "remote": "hybrid",
        "schedule": "",
        "employment_type": "FULL_TIME",
        "salary_min": None,
        "salary_max": None,
        "currency": "RUB",
    },
}


@router.get("/profiles/{profile_id}/edit", name="edit_profile")
def edit_profile_form(
    request: Request, profile_id: uuid.UUID, db: DbSession, user: ProfileManager
) -> Response:
    """The profile builder, filled with the profile's latest version."""
    stored = _own_profile(db, user, profile_id)
    return _builder(request, db, user, draft=service.dump(stored.document), stored=stored)


@router.post("/profiles/{profile_id}/edit", dependencies=[CsrfChecked])
def update_profile(
    request: Request, profile_id: uuid.UUID, db: DbSession, user: ProfileManager, form: PostedForm
) -> Response:
    """Saves a new version of the profile (vacancies keep the version they were opened with)."""
    stored = _own_profile(db, user, profile_id)
    draft = draft_from_form(form, previous=service.dump(stored.document))
    draft["id"] = stored.row.key
    try:
        updated = service.update_profile(
            db,
            organisation_id=user.organisation_id,
            profile_id=profile_id,
            data=draft,
            created_by=user,
        )
    except service.DocumentInvalid as exc:
        return _builder(
            request,
            db,
            user,
            draft=draft,
            stored=stored,
            problems=_problems_of(exc),
            status_code=400,
        )
    _audit(db, user, "profile.updated", updated)
    return RedirectResponse(request.url_for("profile", profile_id=profile_id).path, status_code=303)


def _own_profile(db: DbSession, user: User, profile_id: uuid.UUID) -> service.StoredProfile:
    stored = service.profile_by_id(db, organisation_id=user.organisation_id, profile_id=profile_id)
    if stored.is_builtin:
        raise NotFound("built-in profiles are not edited: clone one")
    return stored


def _problems_of(exc: AppError) -> list[Problem]:
    if isinstance(exc, service.DocumentInvalid):
        return exc.problems
    return [Problem((exc.field,) if exc.field else (), exc.detail)]


def _stage_plans(draft: dict[str, Any]) -> list[StagePlan]:
    """Returns the draft's stage plans that are well-formed (the others are reported)."""
    plans = []
    for plan in draft.get("stages", []):
        try:
            plans.append(StagePlan.model_validate(plan))
        except ValidationError:
            continue
    return plans
