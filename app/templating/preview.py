"""Trying a template on sample data: the organisation's newest vacancy (or, before it has one,
the first role profile it sees), so the preview shows what real documents will look like."""

import uuid
from dataclasses import dataclass, field

from markupsafe import Markup
from sqlmodel import Session, select

from app.models import Locale, Organisation, Vacancy
from app.postings import inclusive
from app.postings.generator import render
from app.postings.service import generate_content
from app.profiles.schema import InterviewStage
from app.rubrics.service import visible_profiles
from app.sheets.service import document_context, library_sheet, vacancy_sheet
from app.templating.sandbox import compile_source, is_html, run

SAMPLE_CANDIDATE = {"ru": "Вера Кандидатова", "en": "Vera Candidate"}


@dataclass
class Preview:
    output: str
    media_type: str
    warnings: list[inclusive.Warning] = field(default_factory=list)


def _newest_vacancy(session: Session, organisation_id: uuid.UUID) -> Vacancy | None:
    return session.exec(
        select(Vacancy)
        .where(Vacancy.organisation_id == organisation_id)
        .order_by(Vacancy.created_at.desc())
    ).first()


def preview(
    session: Session, *, organisation: Organisation, name: str, source: str, locale: Locale
) -> Preview:
    """Renders the template on sample data; raises TemplateProblem with the line that fails."""
    template = compile_source(name, source)
    vacancy = _newest_vacancy(session, organisation.id)
    media_type = "text/html" if is_html(name) else "text/plain"
    if name == "sheet.html":
        stage = InterviewStage.INTERVIEW
        if vacancy is not None:
            context = vacancy_sheet(
                session, vacancy=vacancy, stage=stage, candidate=SAMPLE_CANDIDATE[locale]
            )
        else:
            profile = visible_profiles(session, organisation_id=organisation.id)[0]
            context = library_sheet(
                session,
                organisation_id=organisation.id,
                profile_id=profile.row.id,
                stage=stage,
                candidate=SAMPLE_CANDIDATE[locale],
            )
        return Preview(run(template, document_context(context, locale)), media_type)
    if vacancy is not None:
        profile_version_id, title = vacancy.role_profile_version_id, vacancy.title
    else:
        profile = visible_profiles(session, organisation_id=organisation.id)[0]
        profile_version_id, title = profile.version.id, profile.document.title.ru
    content = generate_content(
        session,
        organisation=organisation,
        profile_version_id=profile_version_id,
        title=title,
        locale=locale.value,
        tone="friendly",
        apply_url=f"/careers/{organisation.slug}/sample",
    )
    output = render(content, name.removeprefix("posting."), template)
    text = Markup(output).striptags() if is_html(name) else output
    return Preview(output, media_type, inclusive.check(text, locale.value))


def check_template(session: Session, *, organisation: Organisation, name: str, source: str) -> None:
    """Raises TemplateProblem unless the template renders the sample data in both languages:
    a saved template must not break the documents people open next."""
    for locale in Locale:
        preview(session, organisation=organisation, name=name, source=source, locale=locale)
