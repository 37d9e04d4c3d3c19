"""Pages where admins and HR replace the built-in posting and sheet templates with their own:
an editor with a live preview on the organisation's own data, the failing line of a broken
template, and a way back to the built-in template."""

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from app import audit
from app.deps import DbSession, ProfileManager
from app.models import Locale, Organisation, User
from app.templating import store
from app.templating.preview import Preview, check_template, preview
from app.templating.sandbox import BUILTIN, TemplateProblem, builtin_source
from app.web.guard import TEMPLATE_EDITOR_CSP
from app.web.pages import CsrfChecked, render

router = APIRouter(include_in_schema=False)
TemplateName = Literal["posting.html", "posting.md", "posting.txt", "sheet.html"]


@router.get("/settings/templates", name="templates")
def template_list(request: Request, db: DbSession, user: ProfileManager) -> Response:
    """The documents the organisation can shape, and which of them use its own template."""
    return render(
        request,
        "settings/templates.html",
        user=user,
        names=list(BUILTIN),
        overrides=store.overrides(db, organisation_id=user.organisation_id),
    )


def _editor(
    request: Request,
    db: DbSession,
    user: User,
    name: str,
    source: str,
    preview_locale: Locale,
    *,
    saved: bool = False,
    problem: TemplateProblem | None = None,
) -> Response:
    organisation = db.get(Organisation, user.organisation_id)
    result: Preview | None = None
    if problem is None:
        try:
            result = preview(
                db, organisation=organisation, name=name, source=source, locale=preview_locale
            )
        except TemplateProblem as exc:
            problem = exc
    page = render(
        request,
        "settings/template.html",
        user=user,
        name=name,
        source=source,
        preview_locale=preview_locale.value,
        result=result,
        preview_html=result.output if result and result.media_type == "text/html" else None,
        problem=problem,
        overridden=store.override(db, organisation_id=user.organisation_id, name=name) is not None,
        saved=saved,
        status_code=422 if problem else 200,
    )
    # The preview iframe shows the template's own <style> (see TEMPLATE_EDITOR_CSP).
    page.headers["Content-Security-Policy"] = TEMPLATE_EDITOR_CSP
    return page


@router.get("/settings/templates/{name}", name="edit_template")
def edit_template(
    request: Request,
    name: TemplateName,
    db: DbSession,
    user: ProfileManager,
    preview_locale: Locale = Locale.RU,
    saved: bool = False,
) -> Response:
    """The template in an editor (the organisation's own, else the built-in one) and its
    preview."""
    row = store.override(db, organisation_id=user.organisation_id, name=name)
    source = row.source if row else builtin_source(name)
    return _editor(request, db, user, name, source, preview_locale, saved=saved)


@router.post("/settings/templates/{name}", dependencies=[CsrfChecked])
def change_template(
    request: Request,
    name: TemplateName,
    db: DbSession,
    user: ProfileManager,
    source: Annotated[str, Form()] = "",
    preview_locale: Annotated[Locale, Form()] = Locale.RU,
    action: Annotated[Literal["preview", "save", "reset"], Form()] = "preview",
) -> Response:
    """Previews, saves (only a template that works on the sample data) or resets to built-in."""
    source = source.replace("\r\n", "\n")
    if action == "reset":
        removed = store.reset(db, organisation_id=user.organisation_id, name=name)
        if removed is not None:
            _record(db, user, "template.reset", removed.id, name)
        return _back(request, name, preview_locale)
    if action == "save":
        organisation = db.get(Organisation, user.organisation_id)
        try:
            check_template(db, organisation=organisation, name=name, source=source)
        except TemplateProblem as exc:
            return _editor(request, db, user, name, source, preview_locale, problem=exc)
        row = store.save(
            db,
            organisation_id=user.organisation_id,
            name=name,
            source=source,
            updated_by_user_id=user.id,
        )
        _record(db, user, "template.saved", row.id, name)
        return _back(request, name, preview_locale, saved=True)
    return _editor(request, db, user, name, source, preview_locale)


@router.post(
    "/settings/templates/{name}/preview", name="preview_template", dependencies=[CsrfChecked]
)
def preview_template(
    name: TemplateName,
    db: DbSession,
    user: ProfileManager,
    source: Annotated[str, Form()] = "",
    preview_locale: Annotated[Locale, Form()] = Locale.RU,
) -> Response:
    """The live preview the editor asks for as people type: the output, or the error's line."""
    organisation = db.get(Organisation, user.organisation_id)
    try:
        result = preview(
            db,
            organisation=organisation,
            name=name,
            source=source.replace("\r\n", "\n"),
            locale=preview_locale,
        )
    except TemplateProblem as exc:
        return JSONResponse({"error": exc.detail, "line": exc.line}, status_code=422)
    return JSONResponse(
        {
            "output": result.output,
            "media_type": result.media_type,
            "warnings": [warning.__dict__ for warning in result.warnings],
        }
    )


def _record(db: DbSession, user: User, action: str, object_id, name: str) -> None:  # noqa: ANN001
    audit.record(
        db,
        organisation_id=user.organisation_id,
        action=action,
        object_type="document_template",
        object_id=object_id,
        actor_user_id=user.id,
        details={"name": name},
    )


def _back(request: Request, name: str, locale: Locale, *, saved: bool = False) -> Response:
    url = request.url_for("edit_template", name=name).include_query_params(
        preview_locale=locale.value, **({"saved": "true"} if saved else {})
    )
    return RedirectResponse(f"{url.path}?{url.query}", status_code=303)
