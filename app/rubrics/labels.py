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
