"""API operations about the caller itself."""

from fastapi import APIRouter

from app.accounts.schemas import ApiKeyPublic, OrganisationPublic, WhoAmI
from app.api.problems import PROBLEM_RESPONSES
from app.deps import CurrentApiCaller

router = APIRouter(tags=["organisation"])


@router.get("/me", responses={401: PROBLEM_RESPONSES[401]})
def who_am_i(caller: CurrentApiCaller) -> WhoAmI:
    """Returns the organisation and the API key the request was made with."""
    return WhoAmI(
        organisation=OrganisationPublic.model_validate(caller.organisation, from_attributes=True),
        api_key=ApiKeyPublic.model_validate(caller.api_key, from_attributes=True),
    )
