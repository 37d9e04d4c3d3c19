"""Job postings generated from a vacancy, its role profile and the organisation (pure): the
sections in Russian or English, rendered as HTML, Markdown and plain text, and schema.org
JobPosting JSON-LD. Templates run in Jinja's sandbox, the built-in ones as organisations' own."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from jinja2 import Template

from app.profiles.schema import RoleProfile
from app.rubrics.schema import Category, Criterion
from app.templating.sandbox import builtin_template, run
from app.web.labels import PLATFORM_NAMES

Locale = Literal["ru", "en"]
Tone = Literal["formal", "friendly"]
Output = Literal["html", "md", "txt"]
MAX_RESPONSIBILITIES = 10
MAX_NICE_TO_HAVES = 5


@dataclass(frozen=True)
class OrganisationInfo:
    name: str
    about: str = ""
    cause: str = ""
    website: str = ""
    benefits: tuple[str, ...] = ()


@dataclass
class PostingContent:
    locale: Locale
    tone: Tone
    title: str
    intro: str
    about: str
    role: str
    responsibilities: list[str]
    requirements: list[str]
    nice_to_have: list[str]
    offer: list[str]
    how_to_apply: str
    headings: dict[str, str] = field(default_factory=dict)


HEADINGS = {
    "ru": {
        "about": "О компании",
        "role": "О роли",
        "responsibilities": "Чем предстоит заниматься",
        "requirements": "Что для нас важно",
        "nice_to_have": "Будет плюсом",
        "offer": "Что мы предлагаем",
        "apply": "Как откликнуться",
    },
    "en": {
        "about": "About us",
        "role": "The role",
        "responsibilities": "What you will do",
        "requirements": "What we need",
        "nice_to_have": "Nice to have",
        "offer": "What we offer",
        "apply": "How to apply",
    },
}
INTROS = {
    ("ru", "formal"): "Компания «{org}» приглашает на должность «{title}».",
    ("ru", "friendly"): "Мы в компании «{org}» ищем человека на роль «{title}». Возможно, это вы!",
    ("en", "formal"): "{org} is hiring: {title}.",
    ("en", "friendly"): "Join {org} as our {title}!",
}
WORK = {
    "ru": {
        "office": "Работа в офисе",
        "hybrid": "Гибридный формат: офис и удалённо",
        "remote": "Удалённая работа",
    },
    "en": {"office": "Office-based", "hybrid": "Hybrid: office and remote", "remote": "Remote"},
}
EMPLOYMENT = {
    "ru": {
        "FULL_TIME": "полная занятость",
        "PART_TIME": "частичная занятость",
        "CONTRACTOR": "договор подряда",
        "TEMPORARY": "временная работа",
        "INTERN": "стажировка",
    },
    "en": {
        "FULL_TIME": "full-time",
        "PART_TIME": "part-time",
        "CONTRACTOR": "contract",
        "TEMPORARY": "temporary",
        "INTERN": "internship",
    },
}


def years_ru(number: float) -> str:
    """The genitive Russian word for years after «от»/«до»: от 1 года, от 2 лет, до 21 года."""
    whole = int(number)
    return "года" if number == whole and whole % 10 == 1 and whole % 100 != 11 else "лет"


def experience_line(profile: RoleProfile, locale: Locale) -> str | None:
    low, high = profile.experience.min_years, profile.experience.max_years
    if not low and high is None:
        return None
    low_text = f"{low:g}"
    if locale == "ru":
        if high is None:
            return f"Опыт работы в SMM или PR от {low_text} {years_ru(low)}"
        if not low:
            return f"Опыт работы в SMM или PR до {high:g} {years_ru(high)}"
        return f"Опыт работы в SMM или PR от {low_text} до {high:g} {years_ru(high)}"
    if high is None:
        return f"At least {low_text} years in social media marketing or PR"
    return f"{low_text} to {high:g} years in social media marketing or PR"


def salary_line(profile: RoleProfile, locale: Locale) -> str | None:
    terms = profile.terms
    if not terms.salary_min and not terms.salary_max:
        return None

    def money(value: int) -> str:
        # Russian groups thousands with a (no-break) space: 120 000.
        return f"{value:,}".replace(",", "\u00a0" if locale == "ru" else ",")

    currency = terms.currency
    if locale == "ru":
        parts = (f"от {money(terms.salary_min)}" if terms.salary_min else "") + (
            f" до {money(terms.salary_max)}" if terms.salary_max else ""
        )
        return f"Зарплата {parts.strip()} {currency} в месяц"
    if terms.salary_min and terms.salary_max:
        return f"Salary {money(terms.salary_min)}–{money(terms.salary_max)} {currency} a month"
    bound = (
        f"from {money(terms.salary_min)}"
        if terms.salary_min
        else f"up to {money(terms.salary_max)}"
    )
    return f"Salary {bound} {currency} a month"


def in_language(text: str, locale: Locale) -> bool:
    """Whether a text is written in the locale's alphabet (Cyrillic for Russian)."""
    letters = [ch for ch in text if ch.isalpha()]
    cyrillic = sum(1 for ch in letters if "\u0400" <= ch <= "\u04ff")
    return not letters or (cyrillic / len(letters) > 0.5) == (locale == "ru")


def posting_content(
    *,
    organisation: OrganisationInfo,
    title: str,
    profile: RoleProfile,
    criteria: dict[str, tuple[Category, Criterion]],
    locale: Locale,
    tone: Tone,
    apply_url: str,
) -> PostingContent:
    """Returns the posting's sections: duties from the profile, must-haves first."""
    picks = [(pick, criteria[pick.id]) for pick in profile.criteria if pick.id in criteria]

    def weight(item: tuple) -> float:
        pick, (_, criterion) = item
        return pick.weight if pick.weight is not None else criterion.weight

    duties = sorted(
        (item for item in picks if item[1][0] == Category.DUTIES), key=weight, reverse=True
    )
    must_ids = [must.criterion for must in profile.must_haves]
    requirements = [criteria[cid][1].title.in_(locale) for cid in must_ids if cid in criteria]
    experience = experience_line(profile, locale)
    if experience:
        requirements.append(experience)
    required_platforms = [PLATFORM_NAMES[p.value] for p in profile.platforms.required]
    if required_platforms:
        requirements.append(
            ("Опыт ведения сообществ: " if locale == "ru" else "Experience running: ")
            + ", ".join(required_platforms)
        )
    others = sorted(
        (
            item
            for item in picks
            if item[0].id not in must_ids and item[1][0] != Category.DUTIES and weight(item) > 0
        ),
        key=weight,
        reverse=True,
    )
    nice = [criterion.title.in_(locale) for _, (_, criterion) in others[:MAX_NICE_TO_HAVES]]
    optional_platforms = [PLATFORM_NAMES[p.value] for p in profile.platforms.optional]
    if optional_platforms:
        nice.append(
            ("Опыт с площадками: " if locale == "ru" else "Experience with: ")
            + ", ".join(optional_platforms)
        )
    terms = profile.terms
    work = WORK[locale][terms.remote]
    if terms.location and terms.remote != "remote":
        work += f" ({terms.location})"
    # The organisation writes its texts in one language: an ad in the other leaves them out
    # rather than mix languages.
    benefits = [line for line in organisation.benefits if in_language(line, locale)]
    offer = [*benefits, f"{work}, {EMPLOYMENT[locale][terms.employment_type]}"]
    if terms.schedule:
        offer.append(("График: " if locale == "ru" else "Schedule: ") + terms.schedule)
    salary = salary_line(profile, locale)
    if salary:
        offer.append(salary)
    about = " ".join(
        text
        for text in (organisation.about, organisation.cause)
        if text and in_language(text, locale)
    )
    return PostingContent(
        locale=locale,
        tone=tone,
        title=title,
        intro=INTROS[(locale, tone)].format(org=organisation.name, title=title),
        about=about,
        role=profile.summary.in_(locale),
        responsibilities=[c.title.in_(locale) for _, (_, c) in duties[:MAX_RESPONSIBILITIES]],
        requirements=requirements,
        nice_to_have=nice,
        offer=offer,
        how_to_apply=(
            f"Откликнитесь на странице вакансии: {apply_url}"
            if locale == "ru"
            else f"Apply on the posting's page: {apply_url}"
        ),
        headings=HEADINGS[locale],
    )


def render(content: PostingContent, output: Output, template: Template | None = None) -> str:
    """Returns the posting in one output format, with the built-in template or the one given
    (an organisation's own)."""
    template = template or builtin_template(f"posting.{output}")
    return run(template, {"posting": content}).strip() + "\n"


def json_ld(
    content: PostingContent,
    *,
    profile: RoleProfile,
    organisation: OrganisationInfo,
    identifier: str,
    date_posted: datetime,
    valid_through: datetime | None,
    description: str,
) -> dict[str, Any]:
    """Returns schema.org JobPosting data with Google's required and recommended properties;
    the description is the posting as HTML."""
    terms = profile.terms
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": content.title,
        "description": description,
        "datePosted": date_posted.date().isoformat(),
        "employmentType": terms.employment_type,
        "hiringOrganization": {
            "@type": "Organization",
            "name": organisation.name,
            **({"sameAs": organisation.website} if organisation.website else {}),
        },
        "identifier": {"@type": "PropertyValue", "name": organisation.name, "value": identifier},
        "directApply": True,
        "inLanguage": content.locale,
    }
    if valid_through:
        data["validThrough"] = valid_through.isoformat()
    if terms.remote == "remote":
        data["jobLocationType"] = "TELECOMMUTE"
        data["applicantLocationRequirements"] = {"@type": "Country", "name": terms.country}
    if terms.remote != "remote" or terms.location:
        data["jobLocation"] = {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressCountry": terms.country,
                **({"addressLocality": terms.location} if terms.location else {}),
            },
        }
    if terms.salary_min or terms.salary_max:
        value = {"@type": "QuantitativeValue", "unitText": "MONTH"}
        if terms.salary_min:
            value["minValue"] = terms.salary_min
        if terms.salary_max:
            value["maxValue"] = terms.salary_max
        data["baseSalary"] = {"@type": "MonetaryAmount", "currency": terms.currency, "value": value}
    return data
