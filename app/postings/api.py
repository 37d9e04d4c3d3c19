"""REST operations on job postings: generate, read in every format, publish, close."""

import json
import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict
from sqlmodel import Session

from app import audit
from app.api.contract import RequestBody
from app.api.problems import PROBLEM_RESPONSES
from app.deps import ApiCaller, DbSession, SettingsDep, require_scope
from app.hiring.service import vacancy_by_id
from app.models import JobPosting, Locale, Organisation, PostingState
from app.postings import inclusive, service

router = APIRouter(tags=["postings"])
Reader = Annotated[ApiCaller, require_scope("postings:read")]
Writer = Annotated[ApiCaller, require_scope("postings:write")]
ERRORS = {status: PROBLEM_RESPONSES[status] for status in (401, 403, 404, 422)}
MEDIA = {
    "html": "text/html",
    "md": "text/markdown",
    "txt": "text/plain",
    "jsonld": "application/ld+json",
}


class PostingRequest(RequestBody):
    model_config = ConfigDict(json_schema_extra={"examples": [{"locale": "ru", "tone": "formal"}]})

    locale: Locale = Locale.RU
    tone: Literal["formal", "friendly"] = "friendly"


class LanguageWarning(BaseModel):
    phrase: str
    reason: str
    suggestion: str


class PostingOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "01965f42-7384-7596-a1a2-132435465768",
                    "vacancy_id": "01965f3b-0c1d-7e2f-8a3b-4c5d6e7f8091",
                    "locale": "ru",
                    "state": "published",
                    "version": 2,
                    "public_url": "https://hire.example.org/careers/lapy/smm-menedzher",
                    "title": "SMM-менеджер в приют «Лапы»",
                    "warnings": [
                        {
                            "phrase": "молодой и амбициозный",
                            "reason": "Намекает на возраст кандидата",
                            "suggestion": "инициативный",
                        }
                    ],
                }
            ]
        }
    )

    id: uuid.UUID
    vacancy_id: uuid.UUID
    locale: Locale
    state: PostingState
    version: int
    public_url: str | None
    title: str
    warnings: list[LanguageWarning]


def _out(db: Session, posting: JobPosting, base_url: str) -> PostingOut:
    version = service.version_of(db, posting)
    content = service.content_of(version)
    organisation = db.get(Organisation, posting.organisation_id)
    public = (
        f"{base_url}/careers/{organisation.slug}/{posting.slug}"
        if posting.published_version
        else None
    )
    warnings = inclusive.check(service.rendered(db, version, "txt"), content.locale)
    return PostingOut(
        id=posting.id,
        vacancy_id=posting.vacancy_id,
        locale=posting.locale,
        state=posting.state,
        version=posting.latest_version,
        public_url=public,
        title=content.title,
        warnings=[LanguageWarning(**warning.__dict__) for warning in warnings],
    )


def posting_of_caller(posting_id: uuid.UUID, db: DbSession, caller: Reader) -> JobPosting:
    return service.posting_by_id(db, organisation_id=caller.organisation.id, posting_id=posting_id)


CallerPosting = Annotated[JobPosting, Depends(posting_of_caller)]


@router.post("/vacancies/{vacancy_id}/postings", status_code=201, responses=ERRORS)
def create_posting(
    vacancy_id: uuid.UUID,
    request_body: PostingRequest,
    db: DbSession,
    caller: Writer,
    settings: SettingsDep,
) -> PostingOut:
    """Generates a draft job posting of the vacancy from its role profile (ru or en)."""
    vacancy = vacancy_by_id(db, organisation_id=caller.organisation.id, vacancy_id=vacancy_id)
    posting = service.create_posting(
        db,
        vacancy=vacancy,
        locale=request_body.locale.value,
        tone=request_body.tone,
        public_base_url=settings.base_url,
    )
    audit.record_call(
        db,
        caller,
        action="posting.created",
        object_type="job_posting",
        object_id=posting.id,
    )
    return _out(db, posting, settings.base_url)


@router.get("/postings/{posting_id}", responses=ERRORS)
def get_posting(posting: CallerPosting, db: DbSession, settings: SettingsDep) -> PostingOut:
    """Returns the posting's state, public address and inclusive-language warnings."""
    return _out(db, posting, settings.base_url)


@router.get(
    "/postings/{posting_id}/render",
    response_class=Response,
    responses={
        **ERRORS,
        200: {
            "description": "The posting in the format asked for",
            "content": {
                "text/html": {},
                "text/markdown": {},
                "text/plain": {},
                "application/ld+json": {"schema": {"type": "object"}},
            },
        },
    },
)
def render_posting(
    posting: CallerPosting,
    db: DbSession,
    format: Annotated[
        Literal["html", "md", "txt", "jsonld"], Query(description="The output.")
    ] = "html",
) -> Response:
    """Returns the posting as HTML, Markdown, plain text or schema.org JSON-LD."""
    if format == "jsonld":
        body = json.dumps(service.structured_data(db, posting), ensure_ascii=False, indent=2)
    else:
        body = service.rendered(db, service.version_of(db, posting), format)
    return Response(body, media_type=f"{MEDIA[format]}; charset=utf-8")


@router.post("/postings/{posting_id}/{action}", responses=ERRORS)
def change_state(
    posting: CallerPosting,
    action: Literal["publish", "close"],
    db: DbSession,
    caller: Writer,
    settings: SettingsDep,
    request: Request,
) -> PostingOut:
    """Publishes the posting on the careers page, or closes it (its page then answers 410)."""
    (service.publish if action == "publish" else service.close)(db, posting=posting)
    audit.record_call(
        db,
        caller,
        action={"publish": "posting.published", "close": "posting.closed"}[action],
        object_type="job_posting",
        object_id=posting.id,
    )
    return _out(db, posting, settings.base_url)
