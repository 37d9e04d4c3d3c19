"""Organisations' own document templates in the database: which built-in template each replaces,
saved after a trial run, reset to the built-in one."""

import uuid

from jinja2 import Template
from sqlmodel import Session, select

from app.models import DocumentTemplate
from app.templating.sandbox import builtin_template, compile_source


def overrides(session: Session, *, organisation_id: uuid.UUID) -> dict[str, DocumentTemplate]:
    rows = session.exec(
        select(DocumentTemplate).where(DocumentTemplate.organisation_id == organisation_id)
    )
    return {row.name: row for row in rows}


def override(session: Session, *, organisation_id: uuid.UUID, name: str) -> DocumentTemplate | None:
    return session.exec(
        select(DocumentTemplate).where(
            DocumentTemplate.organisation_id == organisation_id, DocumentTemplate.name == name
        )
    ).first()


def template_for(session: Session, *, organisation_id: uuid.UUID, name: str) -> Template:
    """Returns the organisation's own template for the document, or the built-in one."""
    row = override(session, organisation_id=organisation_id, name=name)
    return compile_source(name, row.source) if row else builtin_template(name)


def save(
    session: Session,
    *,
    organisation_id: uuid.UUID,
    name: str,
    source: str,
    updated_by_user_id: uuid.UUID | None,
) -> DocumentTemplate:
    """Stores the organisation's template (callers try it on sample data first)."""
    compile_source(name, source)
    row = override(session, organisation_id=organisation_id, name=name) or DocumentTemplate(
        organisation_id=organisation_id, name=name, source=source
    )
    row.source = source
    row.updated_by_user_id = updated_by_user_id
    session.add(row)
    session.flush()
    return row


def reset(session: Session, *, organisation_id: uuid.UUID, name: str) -> DocumentTemplate | None:
    """Goes back to the built-in template; returns the removed template, if there was one."""
    row = override(session, organisation_id=organisation_id, name=name)
    if row is not None:
        session.delete(row)
        session.flush()
    return row
