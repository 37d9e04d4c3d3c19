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
for domain_router in (
    accounts_router,
    rubrics_router,
    hiring_router,
    privacy_router,
    scorecards_router,
    postings_router,
    sheets_router,
    templates_router,
    webhooks_router,
):
    # API route names start with "api.": several API functions share a page's name, and
    # url_for() in the pages must never find the API route (the API is matched first).
    for route in domain_router.routes:
        route.name = f"api.{route.name}"
    api_router.include_router(domain_router)
