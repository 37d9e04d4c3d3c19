"""API operations about the caller's organisation and its users."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.accounts.schemas import ApiKeyPublic, OrganisationPublic, UserPublic, WhoAmI
from app.accounts.service import users_of
from app.api.problems import PROBLEM_RESPONSES
from app.deps import ApiCaller, CurrentApiCaller, DbSession, require_scope
from app.models import UserRole

router = APIRouter(tags=["organisation"])


@router.get("/me", responses={401: PROBLEM_RESPONSES[401]})
def who_am_i(caller: CurrentApiCaller) -> WhoAmI:
    """Returns the organisation and the API key the request was made with."""
    return WhoAmI(
        organisation=OrganisationPublic.model_validate(caller.organisation, from_attributes=True),
        api_key=ApiKeyPublic.model_validate(caller.api_key, from_attributes=True),
    )


@router.get("/users", responses={status: PROBLEM_RESPONSES[status] for status in (401, 403, 422)})
def list_users(
    db: DbSession,
    caller: Annotated[ApiCaller, require_scope("users:read")],
    role: Annotated[UserRole | None, Query(description="Only users with this role.")] = None,
    limit: Annotated[int, Query(ge=1, le=200, description="At most this many users.")] = 100,
) -> list[UserPublic]:
    """Lists the organisation's users by name, e.g. to map interviewers to ATS users."""
    users = users_of(db, organisation_id=caller.organisation.id, role=role, limit=limit)
    return [UserPublic.model_validate(user, from_attributes=True) for user in users]
