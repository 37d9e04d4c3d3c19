"""Names shown in the interface for the library's enumerations, marked for translation."""

from app.i18n import N_

CATEGORY_LABELS = {
    "experience": N_("Experience"),
    "organisation": N_("Organisational skills"),
    "core_traits": N_("Core traits"),
    "duties": N_("Duties"),
}
LEVEL_LABELS = {
    "junior": N_("Junior"),
    "middle": N_("Middle"),
    "senior": N_("Senior"),
    "lead": N_("Lead"),
}
STAGE_LABELS = {
    "screening": N_("Screening"),
    "interview": N_("Interview"),
    "work_sample": N_("Work sample"),
    "final": N_("Final interview"),
}
EVIDENCE_LABELS = {
    "cv": N_("CV"),
    "screening": N_("Screening"),
    "interview": N_("Interview"),
    "work_sample": N_("Work sample"),
    "reference": N_("Reference"),
}
FUNNEL_LABELS = {
    "awareness": N_("Awareness"),
    "engagement": N_("Engagement"),
    "leads": N_("Leads"),
    "sales": N_("Sales"),
}
QUESTION_LABELS = {
    "behavioural": N_("Behavioural question"),
    "situational": N_("Situational question"),
}
REMOTE_LABELS = {"office": N_("In the office"), "hybrid": N_("Hybrid"), "remote": N_("Remote")}
TONE_LABELS = {"formal": N_("Formal"), "friendly": N_("Friendly")}
# Brand names, the same in both languages.
PLATFORM_NAMES = {
    "vk": "VK",
    "telegram": "Telegram",
    "odnoklassniki": "Одноклассники",
    "dzen": "Дзен",
    "rutube": "Rutube",
    "youtube": "YouTube",
    "linkedin": "LinkedIn",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "twitter": "X (Twitter)",
    "tiktok": "TikTok",
    "pinterest": "Pinterest",
}
APPLICATION_STAGE_LABELS = {
    "applied": N_("Applied"),
    "screening": N_("Screening"),
    "interview": N_("Interview"),
    "work_sample": N_("Work sample"),
    "final": N_("Final interview"),
    "offer": N_("Offer"),
    "hired": N_("Hired"),
    "rejected": N_("Rejected"),
    "withdrawn": N_("Withdrawn"),
}
DECISION_LABELS = {
    "advance": N_("Advance"),
    "reject": N_("Reject"),
    "hold": N_("Hold"),
    "withdraw": N_("Withdrawn by the candidate"),
    "reopen": N_("Reopen"),
}
OUTCOME_LABELS = {
    "meets_must_haves": N_("Meets the must-haves"),
    "does_not_meet_must_haves": N_("Does not meet the must-haves"),
    "incomplete": N_("Must-haves not all assessed"),
}
EVIDENCE_WEIGHTING_LABELS = {
    "validity": N_("by published validity"),
    "equal": N_("equal for every kind of evidence"),
}
BAND_LABELS = {"strong": N_("Strong"), "good": N_("Good"), "mixed": N_("Mixed"), "weak": N_("Weak")}
RECOMMENDATION_LABELS = {
    "strong_no": N_("Strong no"),
    "no": N_("No"),
    "yes": N_("Yes"),
    "strong_yes": N_("Strong yes"),
}
VACANCY_STATUS_LABELS = {
    "draft": N_("Draft"),
    "open": N_("Open"),
    "on_hold": N_("On hold"),
    "closed": N_("Closed"),
}
POSTING_STATE_LABELS = {"draft": N_("Draft"), "published": N_("Published"), "closed": N_("Closed")}
TRAIT_LABELS = {
    "passion": N_("Passion"),
    "communicability": N_("Communicability"),
    "flexibility": N_("Flexibility"),
}
ROLE_LABELS = {
    "admin": N_("administrator"),
    "hr": N_("HR"),
    "recruiter": N_("recruiter"),
    "interviewer": N_("interviewer"),
}

TEMPLATE_LABELS = {
    "posting.html": N_("Job posting: web page (HTML)"),
    "posting.md": N_("Job posting: Markdown"),
    "posting.txt": N_("Job posting: plain text for job boards"),
    "sheet.html": N_("Interview sheet: print and PDF"),
}


# How agreement figures read (app/scoring/agreement.py): ICC by Koo & Li, alpha by Krippendorff.
AGREEMENT_READING_LABELS = {
    "poor": N_("poor agreement"),
    "moderate": N_("moderate agreement"),
    "good": N_("good agreement"),
    "excellent": N_("excellent agreement"),
    "unreliable": N_("unreliable"),
    "tentative": N_("tentative"),
    "reliable": N_("reliable"),
    "not enough data": N_("not enough data"),
}


def all_labels() -> dict[str, dict[str, str]]:
    """Every label table, for templates: {{ _(stage_labels[application.stage.value]) }}."""
    return {
        "category_labels": CATEGORY_LABELS,
        "level_labels": LEVEL_LABELS,
        "stage_labels": STAGE_LABELS,
        "evidence_labels": EVIDENCE_LABELS,
        "funnel_labels": FUNNEL_LABELS,
        "question_labels": QUESTION_LABELS,
        "remote_labels": REMOTE_LABELS,
        "tone_labels": TONE_LABELS,
        "platform_names": PLATFORM_NAMES,
        "application_stage_labels": APPLICATION_STAGE_LABELS,
        "decision_labels": DECISION_LABELS,
        "outcome_labels": OUTCOME_LABELS,
        "band_labels": BAND_LABELS,
        "evidence_weighting_labels": EVIDENCE_WEIGHTING_LABELS,
        "recommendation_labels": RECOMMENDATION_LABELS,
        "vacancy_status_labels": VACANCY_STATUS_LABELS,
        "trait_labels": TRAIT_LABELS,
        "posting_state_labels": POSTING_STATE_LABELS,
        "role_labels": ROLE_LABELS,
        "template_labels": TEMPLATE_LABELS,
        "agreement_reading_labels": AGREEMENT_READING_LABELS,
    }
