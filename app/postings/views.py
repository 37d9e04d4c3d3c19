"""Pages for job postings: generate, preview and publish (HR), and the public careers page
where candidates read postings and apply."""

import json
import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from app import audit
from app.accounts.service import organisation_by_slug
from app.deps import DbSession, SettingsDep, client_address, require_role
from app.errors import AppError, InvalidInput
from app.fairness.categories import PREFER_NOT_TO_SAY, dimensions_of
from app.hiring.service import vacancy_by_id
from app.models import JobPosting, Organisation, PostingState, User, UserRole
from app.postings import inclusive, service
from app.web.pages import CsrfChecked
from app.web.pages import render as render_page

router = APIRouter(include_in_schema=False)
SELF_ID_PREFIX = "self_id."
Recruiter = Annotated[User, require_role(UserRole.ADMIN, UserRole.HR, UserRole.RECRUITER)]
FORMATS = {"html": "text/html", "md": "text/markdown", "txt": "text/plain"}


@router.post("/vacancies/{vacancy_id}/postings", name="create_posting", dependencies=[CsrfChecked])
def create_posting(
    request: Request,
    vacancy_id: uuid.UUID,
    db: DbSession,
    user: Recruiter,
    settings: SettingsDep,
    locale: Annotated[str, Form()] = "ru",
    tone: Annotated[str, Form()] = "friendly",
) -> Response:
    """Generates a draft posting of the vacancy in the language and tone chosen."""
    vacancy = vacancy_by_id(db, organisation_id=user.organisation_id, vacancy_id=vacancy_id)
    posting = service.create_posting(
        db,
        vacancy=vacancy,
        locale=locale,
        tone=tone,
        public_base_url=settings.base_url,
        created_by=user,
    )
    audit.record(
        db,
        organisation_id=user.organisation_id,
        action="posting.created",
        object_type="job_posting",
        object_id=posting.id,
        actor_user_id=user.id,
    )
    return RedirectResponse(request.url_for("posting", posting_id=posting.id).path, status_code=303)


@router.get("/postings/{posting_id}", name="posting")
def posting_page(
    request: Request, posting_id: uuid.UUID, db: DbSession, user: Recruiter
) -> Response:
    """The posting as candidates will see it, its language warnings, formats and state."""
    posting = service.posting_by_id(db, organisation_id=user.organisation_id, posting_id=posting_id)
    version = service.version_of(db, posting)
    content = service.content_of(version)
    text = service.rendered(db, version, "txt")
    organisation = db.get(Organisation, posting.organisation_id)
    return render_page(
        request,
        "vacancies/posting.html",
        user=user,
        posting=posting,
        organisation=organisation,
        preview=Markup(service.rendered(db, version, "html")),
        warnings=inclusive.check(text, content.locale),
        formats=["html", "md", "txt", "jsonld"],
    )


@router.get("/postings/{posting_id}/download", name="download_posting")
def download(posting_id: uuid.UUID, db: DbSession, user: Recruiter, format: str = "md") -> Response:
    """The posting as a file: HTML, Markdown, plain text or JSON-LD."""
    posting = service.posting_by_id(db, organisation_id=user.organisation_id, posting_id=posting_id)
    if format == "jsonld":
        body, media = (
            json.dumps(service.structured_data(db, posting), ensure_ascii=False, indent=2),
            "application/ld+json",
        )
    elif format in FORMATS:
        body, media = (
            service.rendered(db, service.version_of(db, posting), format),
            FORMATS[format],
        )
    else:
        raise InvalidInput("format: html, md, txt or jsonld", field="format")
    return Response(
        body,
        media_type=f"{media}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="posting-{posting.slug}.{format}"'},
    )


@router.post("/postings/{posting_id}/{action}", name="posting_state", dependencies=[CsrfChecked])
def change_state(
    request: Request,
    posting_id: uuid.UUID,
    action: Literal["publish", "close"],
    db: DbSession,
    user: Recruiter,
) -> Response:
    """Publishes the posting on the careers page, or closes it (its page then answers 410)."""
    posting = service.posting_by_id(db, organisation_id=user.organisation_id, posting_id=posting_id)
    (service.publish if action == "publish" else service.close)(db, posting=posting)
    audit.record(
        db,
        organisation_id=user.organisation_id,
        action={"publish": "posting.published", "close": "posting.closed"}[action],
        object_type="job_posting",
        object_id=posting.id,
        actor_user_id=user.id,
    )
    return RedirectResponse(request.url_for("posting", posting_id=posting.id).path, status_code=303)


# --- the public careers page -------------------------------------------------------------------


@router.get("/careers/{organisation_slug}", name="careers")
def careers(request: Request, organisation_slug: str, db: DbSession) -> Response:
    """The organisation's published postings; no sign-in needed."""
    organisation = organisation_by_slug(db, slug=organisation_slug)
    postings = service.published_postings(db, organisation=organisation)
    return render_page(
        request, "careers/index.html", user=None, organisation=organisation, postings=postings
    )


@router.get("/careers/{organisation_slug}/{slug}", name="career_posting")
def career_posting(request: Request, organisation_slug: str, slug: str, db: DbSession) -> Response:
    """One posting with its JSON-LD for search engines and the application form; a closed
    posting answers 410 Gone with a page saying so."""
    organisation = organisation_by_slug(db, slug=organisation_slug)
    posting = service.public_posting(db, organisation=organisation, slug=slug)
    return _public_page(request, db, organisation, posting)


def _public_page(
    request: Request,
    db: DbSession,
    organisation,
    posting: JobPosting,  # noqa: ANN001
    values: dict | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    if posting.state == PostingState.CLOSED:
        return render_page(
            request, "careers/closed.html", user=None, organisation=organisation, status_code=410
        )
    version = service.version_of(db, posting, posting.published_version)
    structured = json.dumps(
        service.structured_data(db, posting, posting.published_version), ensure_ascii=False
    ).replace("</", "<\\/")
    return render_page(
        request,
        "careers/posting.html",
        user=None,
        organisation=organisation,
        posting=posting,
        content=Markup(service.rendered(db, version, "html")),
        structured=Markup(structured),
        consent_text=service.CONSENT_TEXT[posting.locale.value],
        talent_pool_text=service.talent_pool_consent_text(organisation, posting.locale),
        self_id_dimensions=dimensions_of(organisation),
        self_id_prefix=SELF_ID_PREFIX,
        prefer_not_to_say=PREFER_NOT_TO_SAY,
        values=values or {},
        error=error,
        status_code=status_code,
    )


async def self_identification_answers(request: Request) -> dict[str, str]:
    """The optional self-identification fields of the form (self_id.<dimension>); the form
    is parsed once, so reading it here costs nothing more."""
    form = await request.form()
    return {
        key.removeprefix(SELF_ID_PREFIX): str(value)[:100]
        for key, value in form.items()
        if key.startswith(SELF_ID_PREFIX)
    }


@router.post("/careers/{organisation_slug}/{slug}", dependencies=[CsrfChecked])
def apply(
    request: Request,
    organisation_slug: str,
    slug: str,
    db: DbSession,
    self_identification: Annotated[dict[str, str], Depends(self_identification_answers)],
    full_name: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
    phone: Annotated[str, Form()] = "",
    years_in_smm: Annotated[str, Form()] = "",
    consent: Annotated[str, Form()] = "",
    talent_pool: Annotated[str, Form()] = "",
    website: Annotated[str, Form()] = "",  # the honeypot: people never see or fill it
) -> Response:
    """Takes an application: a candidate and their application in the vacancy, with consent."""
    organisation = organisation_by_slug(db, slug=organisation_slug)
    posting = service.public_posting(db, organisation=organisation, slug=slug)
    if posting.state == PostingState.CLOSED:
        return _public_page(request, db, organisation, posting)
    values = {"full_name": full_name, "email": email, "phone": phone, "years_in_smm": years_in_smm}
    values["talent_pool"] = talent_pool
    values |= {SELF_ID_PREFIX + key: value for key, value in self_identification.items()}
    if website:  # a bot filled the hidden field: answer as if all went well, store nothing
        return render_page(request, "careers/thanks.html", user=None, organisation=organisation)
    try:
        profile = (
            {"years_in_smm": float(years_in_smm.replace(",", "."))} if years_in_smm.strip() else {}
        )
        service.apply(
            db,
            posting=posting,
            full_name=full_name,
            email=email,
            phone=phone,
            consent=consent == "yes",
            profile=profile,
            self_identification=self_identification,
            talent_pool=talent_pool == "yes",
            ip_address=client_address(request),
        )
    except (AppError, ValueError) as exc:
        detail = exc.detail if isinstance(exc, AppError) else "enter the years as a number"
        status = exc.status_code if isinstance(exc, AppError) else 400
        return _public_page(
            request, db, organisation, posting, values=values, error=detail, status_code=status
        )
    return render_page(request, "careers/thanks.html", user=None, organisation=organisation)
