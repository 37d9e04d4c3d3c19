"""The page a user lands on after signing in."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.deps import CurrentUser, DbSession
from app.models import Organisation
from app.web.pages import render

router = APIRouter(include_in_schema=False)


@router.get("/", name="dashboard")
def dashboard(request: Request, db: DbSession, user: CurrentUser) -> Response:
    """Shows what waits for the user."""
    organisation = db.get(Organisation, user.organisation_id)
    return render(request, "dashboard/index.html", user=user, organisation=organisation)
