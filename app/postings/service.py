"""Job postings in the database: generated versions, publication, the public careers page and
the applications it receives."""

import uuid
from dataclasses import asdict
from datetime import timedelta
from typing import Any

from sqlmodel import Session, func, select

from app import audit
from app.db import locked
from app.errors import InvalidInput, NotFound, TooManyRequests
from app.fairness.service import record_self_identification
from app.hiring.service import create_application, create_candidate
from app.models import (
    AuditEvent,
    JobPosting,
    JobPostingVersion,
    Locale,
    Organisation,
    PostingState,
    User,
    Vacancy,
    VacancyStatus,
    utcnow,
)
from app.ownership import owned
from app.postings.generator import (
    OrganisationInfo,
    Output,
    PostingContent,
    json_ld,
    posting_content,
    render,
)
from app.scoring.service import profile_context
from app.templating.store import template_for
from app.webhooks.service import emit

APPLICATIONS_PER_ADDRESS_PER_HOUR = 5
CONSENT_TEXT = {
    "ru": "Я согласен(на) на обработку моих персональных данных для рассмотрения моей кандидатуры.",
    "en": "I agree to the processing of my personal data to consider my application.",
}
# Optional, and recorded word for word with its time: the talent pool keeps the data longer.
TALENT_POOL_CONSENT_TEXT = {
    "ru": "Я согласен(на), чтобы мои данные хранились в кадровом резерве до {months} мес. "
    "после окончания отбора и мне предлагали другие вакансии.",
    "en": "I agree that my data may be kept in the talent pool for up to {months} months after "
    "this selection ends, so that I may be offered other vacancies.",
}


def talent_pool_consent_text(organisation: Organisation, locale: Locale) -> str:
    """Returns the talent-pool consent as the form shows it, with the organisation's months."""
    return TALENT_POOL_CONSENT_TEXT[locale.value].format(
        months=organisation.retention_talent_pool_months
    )


def organisation_info(organisation: Organisation) -> OrganisationInfo:
    return OrganisationInfo(
        name=organisation.name,
        about=organisation.about,
        cause=organisation.cause,
        website=organisation.website,
        benefits=tuple(line.strip() for line in organisation.benefits.splitlines() if line.strip()),
    )


def create_posting(
    session: Session,
    *,
    vacancy: Vacancy,
    locale: str,
    tone: str,
    public_base_url: str,
    created_by: User | None = None,
    valid_days: int = 30,
) -> JobPosting:
    """Returns a draft posting of the vacancy with its first generated version."""
    if locale not in ("ru", "en"):
        raise InvalidInput(f"unknown language {locale!r}: use ru or en", field="locale")
    if tone not in ("formal", "friendly"):
        raise InvalidInput(f"unknown tone {tone!r}: use formal or friendly", field="tone")
    organisation = session.get(Organisation, vacancy.organisation_id)
    posting = JobPosting(
        organisation_id=vacancy.organisation_id,
        vacancy_id=vacancy.id,
        slug=uuid.uuid4().hex[:10],
        locale=Locale(locale),
        valid_through=utcnow() + timedelta(days=valid_days),
    )
    session.add(posting)
    session.flush()
    url = f"{public_base_url}/careers/{organisation.slug}/{posting.slug}"
    add_version(
        session, posting=posting, vacancy=vacancy, tone=tone, apply_url=url, created_by=created_by
    )
    return posting


def generate_content(
    session: Session,
    *,
    organisation: Organisation,
    profile_version_id: uuid.UUID,
    title: str,
    locale: str,
    tone: str,
    apply_url: str,
) -> PostingContent:
    """Returns a posting's sections from a profile version; an English posting takes the
    profile's English title (vacancy titles are written in Russian)."""
    context = profile_context(session, profile_version_id)
    return posting_content(
        organisation=organisation_info(organisation),
        title=title if locale == "ru" else context.profile.title.en,
        profile=context.profile,
        criteria={
            cid: (rubric.category, criterion)
            for cid, (rubric, criterion) in context.criteria.items()
        },
        locale=locale,
        tone=tone,
        apply_url=apply_url,
    )


def add_version(
    session: Session,
    *,
    posting: JobPosting,
    vacancy: Vacancy,
    tone: str,
    apply_url: str,
    created_by: User | None,
) -> JobPostingVersion:
    """Generates the posting again from the vacancy's profile version (a new version)."""
    content = generate_content(
        session,
        organisation=session.get(Organisation, posting.organisation_id),
        profile_version_id=vacancy.role_profile_version_id,
        title=vacancy.title,
        locale=posting.locale.value,
        tone=tone,
        apply_url=apply_url,
    )
    posting = locked(session, posting)  # numbered after a concurrent regeneration
    posting.latest_version += 1
    version = JobPostingVersion(
        organisation_id=posting.organisation_id,
        job_posting_id=posting.id,
        version=posting.latest_version,
        title=content.title,
        content=asdict(content),
        role_profile_version_id=vacancy.role_profile_version_id,
        created_by_user_id=created_by.id if created_by else None,
    )
    session.add_all([posting, version])
    session.flush()
    return version


def version_of(
    session: Session, posting: JobPosting, number: int | None = None
) -> JobPostingVersion:
    return session.exec(
        select(JobPostingVersion).where(
            JobPostingVersion.job_posting_id == posting.id,
            JobPostingVersion.version == (number or posting.latest_version),
        )
    ).one()


def content_of(version: JobPostingVersion) -> PostingContent:
    return PostingContent(**version.content)


def rendered(session: Session, version: JobPostingVersion, output: Output) -> str:
    """Returns a posting version in one format, through the organisation's template if it has
    its own."""
    template = template_for(
        session, organisation_id=version.organisation_id, name=f"posting.{output}"
    )
    return render(content_of(version), output, template)


def structured_data(
    session: Session, posting: JobPosting, version_number: int | None = None
) -> dict:
    """Returns the posting's schema.org JobPosting data."""
    version = version_of(session, posting, version_number)
    organisation = session.get(Organisation, posting.organisation_id)
    return json_ld(
        content_of(version),
        profile=profile_context(session, version.role_profile_version_id).profile,
        organisation=organisation_info(organisation),
        identifier=str(posting.id),
        date_posted=posting.published_at or version.created_at,
        valid_through=posting.valid_through,
        description=rendered(session, version, "html"),
    )


def posting_by_id(
    session: Session, *, organisation_id: uuid.UUID, posting_id: uuid.UUID
) -> JobPosting:
    return owned(session, JobPosting, posting_id, organisation_id=organisation_id, name="posting")


def publish(session: Session, *, posting: JobPosting) -> JobPosting:
    posting.state = PostingState.PUBLISHED
    posting.published_version = posting.latest_version
    posting.published_at = posting.published_at or utcnow()
    session.add(posting)
    session.flush()
    emit(
        session,
        organisation_id=posting.organisation_id,
        event_type="posting.published",
        data={
            "posting_id": posting.id,
            "vacancy_id": posting.vacancy_id,
            "version": posting.published_version,
            "locale": posting.locale.value,
        },
    )
    return posting


def close(session: Session, *, posting: JobPosting) -> JobPosting:
    posting.state = PostingState.CLOSED
    posting.closed_at = utcnow()
    session.add(posting)
    session.flush()
    return posting


def published_postings(
    session: Session, *, organisation: Organisation
) -> list[tuple[JobPosting, JobPostingVersion]]:
    postings = session.exec(
        select(JobPosting)
        .where(
            JobPosting.organisation_id == organisation.id,
            JobPosting.state == PostingState.PUBLISHED,
        )
        .order_by(JobPosting.published_at.desc())
    ).all()
    return [
        (posting, version_of(session, posting, posting.published_version)) for posting in postings
    ]


def public_posting(session: Session, *, organisation: Organisation, slug: str) -> JobPosting:
    """Returns a posting that was published (it may be closed since); NotFound otherwise."""
    posting = session.exec(
        select(JobPosting).where(
            JobPosting.organisation_id == organisation.id, JobPosting.slug == slug
        )
    ).first()
    if posting is None or posting.published_version is None:
        raise NotFound("no such posting")
    return posting


def apply(
    session: Session,
    *,
    posting: JobPosting,
    full_name: str,
    email: str,
    phone: str,
    consent: bool,
    ip_address: str,
    profile: dict[str, Any],
    self_identification: dict[str, str] | None = None,
    talent_pool: bool = False,
) -> None:
    """Records a candidate and their application from the careers page, with their consent
    (and the talent-pool one when given), and the self-identification they chose to give
    (stored apart, for the fairness report)."""
    since = utcnow() - timedelta(hours=1)
    recent = session.exec(
        select(func.count())
        .select_from(AuditEvent)
        .where(
            AuditEvent.action == "careers.applied",
            AuditEvent.ip_address == ip_address[:45],
            AuditEvent.occurred_at > since,
        )
    ).one()
    if ip_address and recent >= APPLICATIONS_PER_ADDRESS_PER_HOUR:
        raise TooManyRequests("too many applications from this address: try again later")
    if not consent:
        raise InvalidInput("consent to data processing is needed to apply", field="consent")
    if not full_name.strip():
        raise InvalidInput("enter your name", field="full_name")
    if "@" not in email:
        raise InvalidInput("enter your e-mail", field="email")
    vacancy = session.get(Vacancy, posting.vacancy_id)
    if vacancy.status != VacancyStatus.OPEN:
        raise InvalidInput("this vacancy no longer takes applications", field="posting")
    candidate = create_candidate(
        session,
        organisation_id=posting.organisation_id,
        full_name=full_name.strip(),
        email=email.strip().lower(),
        phone=phone.strip(),
        source="careers",
        profile=profile,
        consent_text=CONSENT_TEXT[posting.locale.value],
        consent_given_at=utcnow(),
        **_talent_pool_consent(session, posting) if talent_pool else {},
    )
    application = create_application(session, vacancy=vacancy, candidate=candidate)
    if self_identification:
        record_self_identification(session, application=application, answers=self_identification)
    audit.record(
        session,
        organisation_id=posting.organisation_id,
        action="careers.applied",
        object_type="application",
        object_id=application.id,
        ip_address=ip_address,
        details={"posting_id": str(posting.id)},
    )


def _talent_pool_consent(session: Session, posting: JobPosting) -> dict[str, Any]:
    organisation = session.get(Organisation, posting.organisation_id)
    return {
        "talent_pool_consent_text": talent_pool_consent_text(organisation, posting.locale),
        "talent_pool_consent_at": utcnow(),
    }


def postings_of_vacancy(session: Session, *, vacancy_id: uuid.UUID) -> list[JobPosting]:
    return list(
        session.exec(
            select(JobPosting)
            .where(JobPosting.vacancy_id == vacancy_id)
            .order_by(JobPosting.created_at)
        )
    )
