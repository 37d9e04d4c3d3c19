"""The profile builder's HTML form, turned into a profile document and back.

Field names: `pick` (criterion ids), `weight__<id>`, `must__<id>` (minimum rating),
`stage__<id>` (stages), `section__<category>`, `platform__<name>` (required/optional), `kpi`.
"""

from typing import Any

from starlette.datastructures import FormData

from app.profiles.schema import FunnelStage, InterviewStage, Platform
from app.rubrics.schema import Category

DEFAULT_KPI_METRICS = {
    FunnelStage.AWARENESS: {"ru": "Охват и прирост подписчиков", "en": "Reach and follower growth"},
    FunnelStage.ENGAGEMENT: {
        "ru": "Вовлечённость (ER) и доля активной аудитории",
        "en": "Engagement rate and share of active followers",
    },
    FunnelStage.LEADS: {
        "ru": "Заявки из соцсетей и стоимость заявки",
        "en": "Leads from social media and cost per lead",
    },
    FunnelStage.SALES: {
        "ru": "Продажи из соцсетей и окупаемость бюджета (ROMI)",
        "en": "Sales from social media and return on budget (ROMI)",
    },
}


def _number(value: str | None) -> float | int | str | None:
    """Returns the number typed, None when blank; anything else as typed, for the check to name."""
    if value is None or not value.strip():
        return None
    text = value.strip().replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() else number


def draft_from_form(form: FormData, *, previous: dict[str, Any] | None = None) -> dict[str, Any]:
    """Returns the profile document the form describes (not yet checked)."""
    previous = previous or {}
    picked = form.getlist("pick")
    stages = {
        stage.value: [
            criterion for criterion in picked if stage.value in form.getlist(f"stage__{criterion}")
        ]
        for stage in InterviewStage
    }
    old_metrics = {kpi["funnel"]: kpi["metric"] for kpi in previous.get("kpis", [])}
    platforms: dict[str, list[str]] = {"required": [], "optional": []}
    for platform in Platform:
        choice = form.get(f"platform__{platform.value}", "")
        if choice in platforms:
            platforms[choice].append(platform.value)
    draft = {
        "id": form.get("id", "").strip(),
        "title": {"ru": form.get("title_ru", ""), "en": form.get("title_en", "")},
        "summary": {"ru": form.get("summary_ru", ""), "en": form.get("summary_en", "")},
        "level": form.get("level", ""),
        "section_weights": {
            category.value: _number(form.get(f"section__{category.value}"))
            for category in Category
            if _number(form.get(f"section__{category.value}")) is not None
        },
        "criteria": [
            {"id": criterion, "weight": _number(form.get(f"weight__{criterion}"))}
            if _number(form.get(f"weight__{criterion}")) is not None
            else {"id": criterion}
            for criterion in picked
        ],
        "must_haves": [
            {"criterion": criterion, "min_rating": _number(form.get(f"must__{criterion}"))}
            for criterion in picked
            if _number(form.get(f"must__{criterion}")) is not None
        ],
        "experience": {
            "min_years": _number(form.get("experience_min")) or 0,
            "max_years": _number(form.get("experience_max")),
        },
        "platforms": platforms,
        "kpis": [
            {"funnel": funnel, "metric": old_metrics.get(funnel, DEFAULT_KPI_METRICS[funnel])}
            for funnel in FunnelStage
            if funnel.value in form.getlist("kpi")
        ],
        "stages": [
            {"stage": stage, "criteria": criteria} for stage, criteria in stages.items() if criteria
        ],
        "context": {
            "cause": form.get("cause", "").strip(),
            "audience": form.get("audience", "").strip(),
            "tone": form.get("tone", "friendly"),
        },
        "terms": {
            "location": form.get("location", "").strip(),
            "remote": form.get("remote", "hybrid"),
            "schedule": form.get("schedule", "").strip(),
            "employment_type": form.get("employment_type", "FULL_TIME"),
            "salary_min": _number(form.get("salary_min")),
            "salary_max": _number(form.get("salary_max")),
            "currency": form.get("currency", "RUB").strip().upper(),
        },
    }
    return draft


def form_state(draft: dict[str, Any]) -> dict[str, Any]:
    """Returns what the builder template needs to show a draft: lookups by criterion id."""
    stages_of: dict[str, list[str]] = {}
    for plan in draft.get("stages", []):
        for criterion in plan.get("criteria", []):
            stages_of.setdefault(criterion, []).append(plan.get("stage"))
    platforms = draft.get("platforms", {})
    return {
        "picked": {pick["id"] for pick in draft.get("criteria", [])},
        "weights": {
            pick["id"]: pick["weight"]
            for pick in draft.get("criteria", [])
            if pick.get("weight") is not None
        },
        "musts": {must["criterion"]: must["min_rating"] for must in draft.get("must_haves", [])},
        "stages_of": stages_of,
        "platform_choice": {
            **{name: "optional" for name in platforms.get("optional", [])},
            **{name: "required" for name in platforms.get("required", [])},
        },
        "kpis": {kpi["funnel"] for kpi in draft.get("kpis", [])},
    }
