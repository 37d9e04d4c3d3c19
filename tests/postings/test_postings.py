"""Job postings: generated ads in both languages, JSON-LD, the careers page and applying."""

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import extruct
import httpx
import pytest
from sqlmodel import Session, select

from app.demo import DEMO_LOGINS, load_demo
from app.models import Application, Candidate, Organisation, Vacancy
from app.postings.generator import OrganisationInfo, json_ld, posting_content, render, years_ru
from app.postings.inclusive import check
from app.rubrics.library import builtin_library
from tests.factories import make_api_key, make_organisation
from tests.hiring.test_pages import browser_for
from tests.test_web_accounts import csrf_token_of

LIBRARY = builtin_library()
CRITERIA = {
    cid: (rubric.category, criterion) for cid, (rubric, criterion) in LIBRARY.criteria().items()
}
ORGANISATION = OrganisationInfo(
    "Цветы и лапы",
    "Ведём соцсети приюта.",
    "Помогаем животным.",
    "https://example.org",
    ("Обучение за счёт компании",),
)


def content(profile_id: str, locale: str, tone: str = "friendly"):  # noqa: ANN201
    profile = LIBRARY.profiles[profile_id]
    return posting_content(
        organisation=ORGANISATION,
        title=profile.title.in_(locale),
        profile=profile,
        criteria=CRITERIA,
        locale=locale,
        tone=tone,
        apply_url="https://hire.example/careers/demo/abc",
    )


@pytest.mark.parametrize("profile_id", ["smm_manager", "community_manager"])
def test_russian_and_english_ads_speak_one_language_each(profile_id: str) -> None:
    russian = render(content(profile_id, "ru"), "txt")
    english = render(content(profile_id, "en"), "txt")
    names = r"Одноклассники|Дзен|Цветы и лапы"  # brands and the organisation: proper names

    assert "ЧЕМ ПРЕДСТОИТ ЗАНИМАТЬСЯ" in russian and "WHAT YOU WILL DO" in english
    assert not re.search(r"[а-яё]", re.sub(names, "", english, flags=re.I), flags=re.I)
    assert "Реакция на критику" in russian or "Разработка стратегии" in russian
    assert "Помогаем животным." in russian and "Помогаем" not in english  # no mixed languages


def test_must_haves_come_first_and_years_read_as_russian() -> None:
    posting = content("smm_manager", "ru", "formal")

    musts = [CRITERIA[m.criterion][1].title.ru for m in LIBRARY.profiles["smm_manager"].must_haves]
    assert posting.requirements[: len(musts)] == musts
    assert "Опыт работы в SMM или PR от 3 до 6 лет" in posting.requirements
    assert posting.intro == "Компания «Цветы и лапы» приглашает на должность «SMM-менеджер»."
    assert [years_ru(n) for n in (1, 2, 5, 11, 21)] == ["года", "лет", "лет", "лет", "года"]


def test_json_ld_has_googles_required_and_recommended_properties() -> None:
    profile = LIBRARY.profiles["community_manager"]
    remote = profile.model_copy(
        update={
            "terms": profile.terms.model_copy(
                update={"remote": "remote", "salary_min": 90_000, "salary_max": 120_000}
            )
        }
    )

    posting = content("community_manager", "ru")
    data = json_ld(
        posting,
        profile=remote,
        organisation=ORGANISATION,
        identifier="p-1",
        date_posted=datetime(2026, 11, 26, tzinfo=UTC),
        valid_through=datetime(2026, 12, 26, tzinfo=UTC),
        description=render(posting, "html"),
    )

    assert data["@type"] == "JobPosting"
    for key in (
        "title",
        "description",
        "datePosted",
        "hiringOrganization",
        "validThrough",
        "employmentType",
        "baseSalary",
        "identifier",
        "directApply",
    ):
        assert data[key], key
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == {"@type": "Country", "name": "RU"}
    assert data["baseSalary"]["value"] == {
        "@type": "QuantitativeValue",
        "unitText": "MONTH",
        "minValue": 90_000,
        "maxValue": 120_000,
    }
    assert data["description"].startswith('<article class="posting" lang="ru">')


@pytest.mark.parametrize(
    ("locale", "text", "phrase"),
    [
        ("ru", "Требуется девушка в молодой коллектив до 30 лет", "девушка"),
        ("ru", "SMM-менеджер (м)", "(м)"),
        ("en", "Join our young team of digital natives", "young"),
        ("en", "He will own our channels", "He"),
    ],
)
def test_the_inclusive_language_check_finds_its_cases(locale: str, text: str, phrase: str) -> None:
    assert phrase in [warning.phrase for warning in check(text, locale)]


@pytest.mark.parametrize("profile_id", sorted(LIBRARY.profiles))
@pytest.mark.parametrize("locale", ["ru", "en"])
def test_the_check_is_quiet_on_the_built_in_ads(profile_id: str, locale: str) -> None:
    assert check(render(content(profile_id, locale), "txt"), locale) == []


def test_a_posting_is_published_applied_to_and_closed(live_server: str, db: Session) -> None:
    organisation = load_demo(db)
    db.commit()
    vacancy_id = db.exec(
        select(Vacancy.id).where(Vacancy.organisation_id == organisation.id)
    ).first()
    db.rollback()
    hr = browser_for(live_server, DEMO_LOGINS[1])
    vacancy_page = hr.get(f"/vacancies/{vacancy_id}")
    created = hr.post(
        f"/vacancies/{vacancy_id}/postings",
        data={"csrf_token": csrf_token_of(vacancy_page), "locale": "ru", "tone": "formal"},
    )
    posting_path = created.url.path
    hr.post(f"{posting_path}/publish", data={"csrf_token": csrf_token_of(created)})
    public_url = re.search(
        r'href="([^"]*/careers/demo/[0-9a-f]+)"', hr.get(posting_path).text
    ).group(1)

    visitor = httpx.Client(base_url=live_server, follow_redirects=True)
    listing = visitor.get("/careers/demo")
    page = visitor.get(public_url)
    structured = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page.text, re.S).group(1)
    )
    token = csrf_token_of(page)
    without_consent = visitor.post(
        public_url, data={"csrf_token": token, "full_name": "Ира", "email": "ira@example.org"}
    )
    bot = visitor.post(
        public_url,
        data={
            "csrf_token": token,
            "full_name": "Bot",
            "email": "b@x.io",
            "consent": "yes",
            "website": "http://spam",
        },
    )
    applied = visitor.post(
        public_url,
        data={
            "csrf_token": token,
            "full_name": "Ира Откликова",
            "email": "ira@example.org",
            "consent": "yes",
            "years_in_smm": "4",
        },
    )

    assert listing.status_code == 200 and public_url.rsplit("/", 1)[1] in listing.text
    assert structured["@type"] == "JobPosting" and structured["hiringOrganization"]["name"]
    assert without_consent.status_code == 422
    assert bot.status_code == 200 and applied.status_code == 200
    candidates = db.exec(select(Candidate).where(Candidate.source == "careers")).all()
    assert [c.full_name for c in candidates] == ["Ира Откликова"]  # not the bot, nor the first try
    assert (
        candidates[0].consent_given_at is not None
        and "персональных данных" in candidates[0].consent_text
    )
    assert db.exec(select(Application).where(Application.candidate_id == candidates[0].id)).one()
    db.rollback()

    hr.post(f"{posting_path}/close", data={"csrf_token": csrf_token_of(hr.get(posting_path))})
    closed = visitor.get(public_url)
    assert (
        closed.status_code == 410 and "закрыта" in closed.text.lower() or closed.status_code == 410
    )
    assert visitor.get("/careers/nobody").status_code == 404
    hr.close()
    visitor.close()


def test_applications_from_one_address_are_rate_limited(live_server: str, db: Session) -> None:
    from app.postings import service

    organisation = load_demo(db)
    vacancy = db.exec(select(Vacancy).where(Vacancy.organisation_id == organisation.id)).first()
    posting = service.create_posting(
        db, vacancy=vacancy, locale="ru", tone="friendly", public_base_url=live_server
    )
    service.publish(db, posting=posting)
    db.commit()
    url = f"/careers/demo/{posting.slug}"
    visitor = httpx.Client(base_url=live_server, follow_redirects=True)
    token = csrf_token_of(visitor.get(url))
    statuses = [
        visitor.post(
            url,
            data={
                "csrf_token": token,
                "full_name": f"Кандидат {n}",
                "email": f"c{n}@example.org",
                "consent": "yes",
            },
        ).status_code
        for n in range(7)
    ]
    visitor.close()

    assert statuses == [200] * 5 + [429] * 2
    assert isinstance(db.get(Organisation, organisation.id), Organisation)


GOLDEN = Path(__file__).with_name("golden")


@pytest.mark.parametrize("profile_id", ["smm_manager", "community_manager"])
@pytest.mark.parametrize("locale", ["ru", "en"])
def test_the_ads_match_their_reviewed_golden_files(profile_id: str, locale: str) -> None:
    # A change here is a change to what candidates read: review the new text, then update
    # the golden file with the same render call.
    golden = GOLDEN / f"{profile_id}.{locale}.md"

    assert render(content(profile_id, locale), "md") == golden.read_text(encoding="utf-8")


def test_an_independent_extractor_finds_the_job_posting_on_the_careers_page(
    live_server: str, db: Session
) -> None:
    load_demo(db, base_url=live_server)
    db.commit()
    listing = httpx.get(f"{live_server}/careers/demo")
    paths = re.findall(r'href="(/careers/demo/[0-9a-f]+)"', listing.text)

    for path in paths:
        page = httpx.get(f"{live_server}{path}")
        data = extruct.extract(page.text, base_url=f"{live_server}{path}", syntaxes=["json-ld"])
        [posting] = data["json-ld"]
        assert posting["@type"] == "JobPosting"
        for key in (
            "title",
            "description",
            "datePosted",
            "hiringOrganization",
            "validThrough",
            "employmentType",
            "identifier",
            "directApply",
        ):
            assert posting.get(key), (path, key)
        assert posting.get("jobLocation") or posting.get("jobLocationType") == "TELECOMMUTE"
    assert len(paths) == 3


def test_postings_through_the_api(db: Session, http: httpx.Client) -> None:
    organisation = load_demo(db)
    vacancy_id = db.exec(
        select(Vacancy.id).where(Vacancy.organisation_id == organisation.id)
    ).first()
    _, secret = make_api_key(
        db, organisation=organisation, scopes=["postings:read", "postings:write"]
    )
    db.commit()
    headers = {"Authorization": f"Bearer {secret}"}

    created = http.post(
        f"/api/v1/vacancies/{vacancy_id}/postings",
        headers=headers,
        json={"locale": "en", "tone": "formal"},
    )
    posting_id = created.json()["id"]
    markdown = http.get(
        f"/api/v1/postings/{posting_id}/render", params={"format": "md"}, headers=headers
    )
    published = http.post(f"/api/v1/postings/{posting_id}/publish", headers=headers)
    unknown_language = http.post(
        f"/api/v1/vacancies/{vacancy_id}/postings", headers=headers, json={"locale": "de"}
    )

    assert created.status_code == 201 and created.json()["state"] == "draft"
    assert created.json()["warnings"] == []
    assert markdown.text.startswith("# ") and "## What you will do" in markdown.text
    assert published.json()["state"] == "published"
    assert published.json()["public_url"].endswith(
        http.get(f"/api/v1/postings/{posting_id}", headers=headers)
        .json()["public_url"]
        .rsplit("/", 1)[1]
    )
    assert unknown_language.status_code == 422
    assert unknown_language.json()["errors"][0]["field"] == "body.locale"


def test_a_posting_of_another_organisations_vacancy_is_not_found(
    db: Session, http: httpx.Client
) -> None:
    demo = load_demo(db)
    vacancy_id = db.exec(select(Vacancy.id).where(Vacancy.organisation_id == demo.id)).first()
    _, secret = make_api_key(db, organisation=make_organisation(db), scopes=["postings:write"])
    db.commit()

    answer = http.post(
        f"/api/v1/vacancies/{vacancy_id}/postings",
        headers={"Authorization": f"Bearer {secret}"},
        json={"locale": "ru"},
    )

    assert answer.status_code == 404
