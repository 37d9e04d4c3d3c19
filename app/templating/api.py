"""REST operations on an organisation's own posting and sheet templates."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, ConfigDict, Field

from app import audit
from app.api.contract import RequestBody
from app.api.problems import PROBLEM_RESPONSES
from app.deps import ApiCaller, DbSession, require_scope
from app.models import DocumentTemplate, Locale
from app.postings.api import LanguageWarning
from app.templating import store
from app.templating.preview import check_template, preview
from app.templating.sandbox import BUILTIN, MAX_SOURCE_CHARS, builtin_source
from app.templating.views import TemplateName

router = APIRouter(tags=["templates"])
Reader = Annotated[ApiCaller, require_scope("postings:read")]
Admin = Annotated[ApiCaller, require_scope("admin")]
ERRORS = {status: PROBLEM_RESPONSES[status] for status in (401, 403, 404, 422)}


class TemplateOut(BaseModel):
    name: TemplateName
    # False: the built-in template is in use (its source is shown).
    own: bool
    source: str
    updated_at: datetime | None


# A template must render its own document's data (a posting's is not a sheet's), so the
# examples are a Markdown posting and the name parameter's example is posting.md.
POSTING_MD = (
    "# {{ posting.title }}\n\n{{ posting.intro }}\n\n"
    "## {{ posting.headings.responsibilities }}\n\n"
    "{% for item in posting.responsibilities %}\n- {{ item }}\n{% endfor %}\n"
)
Name = Annotated[TemplateName, Path(examples=["posting.md"])]


class TemplateIn(RequestBody):
    model_config = ConfigDict(json_schema_extra={"examples": [{"source": POSTING_MD}]})

    source: str = Field(max_length=MAX_SOURCE_CHARS)


class PreviewIn(TemplateIn):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"source": POSTING_MD, "locale": "en"}]}
    )

    locale: Locale = Locale.RU


class PreviewOut(BaseModel):
    output: str
    media_type: str
    warnings: list[LanguageWarning]


def _out(name: str, row: DocumentTemplate | None) -> TemplateOut:
    return TemplateOut(
        name=name,
        own=row is not None,
        source=row.source if row else builtin_source(name),
        updated_at=row.updated_at if row else None,
    )


@router.get("/templates", responses=ERRORS)
def list_templates(db: DbSession, caller: Reader) -> list[TemplateOut]:
    """Every document template: the organisation's own where it has one, else the built-in."""
    rows = store.overrides(db, organisation_id=caller.organisation.id)
    return [_out(name, rows.get(name)) for name in BUILTIN]


@router.get("/templates/{name}", responses=ERRORS)
def get_template(name: Name, db: DbSession, caller: Reader) -> TemplateOut:
    """One document template and whether it is the organisation's own."""
    return _out(name, store.override(db, organisation_id=caller.organisation.id, name=name))


# A POST that only reads: it renders, it stores nothing.
@router.post("/templates/{name}/preview", responses=ERRORS, openapi_extra={"x-reads-only": True})
def preview_template(name: Name, body: PreviewIn, db: DbSession, caller: Reader) -> PreviewOut:
    """Renders a template on the organisation's newest vacancy without saving it; a broken
    template is a 422 whose detail names the line."""
    result = preview(
        db, organisation=caller.organisation, name=name, source=body.source, locale=body.locale
    )
    return PreviewOut(
        output=result.output,
        media_type=result.media_type,
        warnings=[LanguageWarning(**warning.__dict__) for warning in result.warnings],
    )


@router.put("/templates/{name}", responses=ERRORS)
def put_template(name: Name, body: TemplateIn, db: DbSession, caller: Admin) -> TemplateOut:
    """Makes this the organisation's template, once it renders the sample data in both
    languages."""
    check_template(db, organisation=caller.organisation, name=name, source=body.source)
    row = store.save(
        db,
        organisation_id=caller.organisation.id,
        name=name,
        source=body.source,
        updated_by_user_id=None,
    )
    _record(db, caller, "template.saved", row)
    return _out(name, row)


@router.delete("/templates/{name}", status_code=204, responses=ERRORS)
def delete_template(name: Name, db: DbSession, caller: Admin) -> Response:
    """Goes back to the built-in template."""
    row = store.reset(db, organisation_id=caller.organisation.id, name=name)
    if row is not None:
        _record(db, caller, "template.reset", row)
    return Response(status_code=204)


def _record(db: DbSession, caller: ApiCaller, action: str, row: DocumentTemplate) -> None:
    audit.record_call(
        db,
        caller,
        action=action,
        object_type="document_template",
        object_id=row.id,
        details={"name": row.name},
    )
