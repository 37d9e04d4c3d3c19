"""The REST API under /api/v1: every domain's API router, mounted in one place."""

from fastapi import APIRouter, Depends

from app.accounts.api import router as accounts_router
from app.api.contract import reject_nul_characters, reject_unknown_query_parameters
from app.hiring.api import router as hiring_router
from app.postings.api import router as postings_router
from app.privacy.api import router as privacy_router
from app.rubrics.api import router as rubrics_router
from app.scorecards.api import router as scorecards_router
from app.sheets.api import router as sheets_router
from app.templating.api import router as templates_router
from app.webhooks.api import router as webhooks_router

API_V1_PREFIX = "/api/v1"

api_router = APIRouter(
    prefix=API_V1_PREFIX,
    dependencies=[Depends(reject_unknown_query_parameters), Depends(reject_nul_characters)],
)
api_router.include_router(accounts_router)
api_router.include_router(rubrics_router)
api_router.include_router(hiring_router)
api_router.include_router(privacy_router)
api_router.include_router(scorecards_router)
api_router.include_router(postings_router)
api_router.include_router(sheets_router)
api_router.include_router(templates_router)
api_router.include_router(webhooks_router)
