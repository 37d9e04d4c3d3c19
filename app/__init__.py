"""smm-hire: hiring and skills assessment for social media managers."""

from pathlib import Path

# templates/, rubrics/ and alembic/ sit beside the package at the repository root.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
