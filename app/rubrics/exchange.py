"""Export and import of rubric and profile documents as YAML or JSON."""

import json
from typing import Any, Literal

import yaml
from fastapi.responses import Response

from app.errors import InvalidInput

ExportFormat = Literal["yaml", "json"]
MEDIA_TYPES = {"yaml": "application/yaml", "json": "application/json"}
YAML_MEDIA_TYPES = {"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"}


def export_text(document: dict[str, Any], export_format: ExportFormat) -> str:
    """Returns the document as YAML (readable, Cyrillic kept) or JSON."""
    if export_format == "json":
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)


def download(document: dict[str, Any], key: str, export_format: ExportFormat) -> Response:
    """Returns the document as a file to save, named after its key."""
    return Response(
        export_text(document, export_format),
        media_type=f"{MEDIA_TYPES[export_format]}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{key}.{export_format}"'},
    )


def parse_text(text: str, media_type: str) -> Any:
    """Returns the data in an uploaded document; JSON when the media type says so, else YAML."""
    media_type = media_type.split(";")[0].strip().lower()
    try:
        data = json.loads(text) if media_type == "application/json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        kind = "JSON" if media_type == "application/json" else "YAML"
        raise InvalidInput(f"the body is not valid {kind}: {exc}", field="body") from exc
    # YAML writes NUL as "\0" or "\x00", which the API's check of the raw body does not see;
    # PostgreSQL cannot store it (and no name or text needs it).
    if _has_nul(data):
        raise InvalidInput("text may not contain NUL characters", field="body")
    return data


def _has_nul(data: Any) -> bool:
    if isinstance(data, str):
        return "\x00" in data
    if isinstance(data, dict):
        return any(_has_nul(key) or _has_nul(value) for key, value in data.items())
    if isinstance(data, list):
        return any(_has_nul(item) for item in data)
    return False
