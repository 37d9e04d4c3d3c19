"""The library and the profile builder in the browser's HTML, without JavaScript."""

import io
import os
import re
from collections.abc import Iterator

import httpx
import pytest
from pypdf import PdfReader
from sqlmodel import Session, select

from app.models import User, UserRole
from app.rubrics.library import builtin_library
from app.rubrics.service import visible_profiles
from tests.factories import DEFAULT_PASSWORD, make_organisation, make_user
from tests.test_web_accounts import csrf_token_of


def signed_in(live_server: str, db: Session, role: UserRole) -> httpx.Client:
    user = make_user(db, organisation=make_organisation(db), role=role)
    db.commit()
    browser = httpx.Client(base_url=live_server, follow_redirects=True, timeout=20)
    form = browser.get("/login")
    browser.post(
        "/login",
        data={"email": user.email, "password": DEFAULT_PASSWORD, "csrf_token": csrf_token_of(form)},
    )
    return browser


@pytest.fixture
def hr(live_server: str, db: Session) -> Iterator[httpx.Client]:
    browser = signed_in(live_server, db, UserRole.HR)
    yield browser
    browser.close()


def test_the_library_filters_and_shows_a_criterion_with_its_source(hr: httpx.Client) -> None:
    everything = hr.get("/library")
    passion = hr.get("/library", params={"seed_list": "passion"})
    criterion = hr.get("/library/criteria/passion.audience_fit")

    assert "Найдено критериев: 59" in everything.text
    assert "Найдено критериев: 5" in passion.text
    assert "Интересы, близкие к интересам компании" in criterion.text  # the seed's words
    assert criterion.text.count('<th scope="row">') == 4  # one anchor per level
    assert "Поведенческий вопрос" in criterion.text and "Ситуационный вопрос" in criterion.text


def test_hr_builds_a_profile_by_picking_items(hr: httpx.Client) -> None:
    builder = hr.get("/profiles/new")
    form = {
        "csrf_token": csrf_token_of(builder),
        "id": "night_moderator",
        "level": "junior",
        "title_ru": "Ночной модератор",
        "title_en": "Night moderator",
        "summary_ru": "Отвечает подписчикам ночью.",
        "summary_en": "Answers followers at night.",
        "section__core_traits": "60",
        "section__duties": "40",
        "pick": [
            "flexibility.out_of_hours",
            "communicability.criticism",
            "implementation.conversations",
        ],
        "weight__communicability.criticism": "3",
        "must__communicability.criticism": "3",
        "stage__flexibility.out_of_hours": "interview",
        "stage__communicability.criticism": ["interview", "work_sample"],
        "stage__implementation.conversations": "interview",
        "platform__telegram": "required",
        "kpi": ["engagement"],
        "cause": "Приют для животных",
        "tone": "friendly",
        "remote": "remote",
        "currency": "RUB",
        "employment_type": "PART_TIME",
    }

    page = hr.post("/profiles/new", data=form)

    assert page.url.path.startswith("/profiles/")
    assert "Ночной модератор" in page.text
    assert "не ниже 3" in page.text  # the must-have
    assert re.search(r"Основные качества</text>", page.text)  # the weight bars
    assert "60%" in page.text and "40%" in page.text


def test_a_builder_mistake_shows_the_form_again_with_the_input_kept(hr: httpx.Client) -> None:
    builder = hr.get("/profiles/new")
    form = {
        "csrf_token": csrf_token_of(builder),
        "id": "half_done",
        "level": "middle",
        "title_ru": "Черновик",
        "title_en": "Draft",
        "summary_ru": "Ещё нет.",
        "summary_en": "Not yet.",
        "section__duties": "100",
        "pick": ["implementation.editorial_calendar", "implementation.presence"],
        "must__implementation.editorial_calendar": "3",
        "stage__implementation.presence": "interview",
        # no stage chosen for the editorial calendar
    }

    page = hr.post("/profiles/new", data=form)

    assert page.status_code == 400
    assert "Профиль не сохранён" in page.text
    assert "is assessed at no stage: add it to a stage" in page.text
    assert 'value="Черновик"' in page.text
    assert re.search(r'value="implementation.editorial_calendar" checked', page.text)
    assert re.search(r'<option value="3" selected>', page.text)
    assert "half_done" not in hr.get("/profiles").text


def test_a_built_in_profile_is_cloned_then_edited_into_a_new_version(hr: httpx.Client) -> None:
    listing = hr.get("/profiles")
    clone_url = re.search(r'action="[^"]*?(/profiles/[^"]+/clone)"', listing.text).group(1)

    builder = hr.post(clone_url, data={"csrf_token": csrf_token_of(listing)})
    assert builder.url.path.endswith("/edit")
    form = dict(re.findall(r'<input name="(title_ru|title_en|id)" value="([^"]*)"', builder.text))
    edited = hr.post(
        builder.url.path,
        data={
            **form,
            "csrf_token": csrf_token_of(builder),
            "level": "senior",
            "summary_ru": "Только стратегия.",
            "summary_en": "Strategy only.",
            "section__duties": "1",
            "pick": ["strategy.budget"],
            "stage__strategy.budget": "interview",
        },
    )

    assert "версия 2" in edited.text
    assert "Только стратегия." in edited.text


def test_interviewers_may_read_profiles_but_not_build_them(live_server: str, db: Session) -> None:
    interviewer = signed_in(live_server, db, UserRole.INTERVIEWER)

    assert interviewer.get("/profiles").status_code == 200
    assert interviewer.get("/profiles/new").status_code == 403
    assert "Новый профиль" not in interviewer.get("/profiles").text
    interviewer.close()


def test_a_profile_downloads_as_yaml_that_the_api_can_import(hr: httpx.Client) -> None:
    listing = hr.get("/profiles")
    profile_path = re.search(r'href="[^"]*?(/profiles/[0-9a-f-]{36})"', listing.text).group(1)

    download = hr.get(f"{profile_path}/export", params={"format": "yaml"})

    assert download.headers["content-disposition"].startswith("attachment; filename=")
    assert download.text.startswith("id: ")
    assert "section_weights:" in download.text


def test_the_interview_sheet_shows_questions_probes_and_anchors(hr: httpx.Client) -> None:
    listing = hr.get("/profiles")
    profile_path = re.search(r'href="[^"]*?(/profiles/[0-9a-f-]{36})"', listing.text).group(1)

    blank = hr.get(f"{profile_path}/sheet", params={"stage": "interview"})
    # The name is posted, so it stays out of the URL.
    sheet = hr.post(
        f"{profile_path}/sheet",
        data={"stage": "interview", "candidate": "Вера К.", "csrf_token": csrf_token_of(blank)},
    )

    assert sheet.status_code == 200
    assert "Вера К." in sheet.text and "Вера К." not in str(sheet.url)
    assert "Поведенческий вопрос" in sheet.text and "Ситуационный вопрос" in sheet.text
    assert sheet.text.count("☐ 4") >= 5  # an anchored scale per criterion


def test_the_interview_sheet_pdf_has_every_criterion_of_the_stage_in_cyrillic(
    hr: httpx.Client, db: Session
) -> None:
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"WeasyPrint cannot load its system libraries: {exc}")
    stored = next(
        p
        for p in visible_profiles(db, organisation_id=db.exec(select(User)).first().organisation_id)
        if p.row.key == "community_manager"
    )
    db.rollback()
    stage_ids = [
        cid for plan in stored.document.stages if plan.stage == "interview" for cid in plan.criteria
    ]
    titles = {
        cid: criterion.title.ru for cid, (_, criterion) in builtin_library().criteria().items()
    }

    profile_path = f"/profiles/{stored.row.id}"
    db.rollback()  # the reads above hold SQLite's write lock, and the server writes on a POST
    blank = hr.get(f"{profile_path}/sheet", params={"stage": "interview"})
    answer = hr.post(
        f"{profile_path}/sheet.pdf",
        data={
            "stage": "interview",
            "candidate": "Вера Кандидатова",
            "csrf_token": csrf_token_of(blank),
        },
    )

    assert answer.headers["content-type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.content)).pages)
    flat = " ".join(text.split())
    assert "Вера Кандидатова" in flat
    for cid in stage_ids:
        assert " ".join(titles[cid].split()) in flat, cid


def weekend_editor_form(builder: httpx.Response, **fields: object) -> dict:
    return {
        "csrf_token": csrf_token_of(builder),
        "id": "weekend_editor",
        "level": "junior",
        "title_ru": "Редактор выходного дня",
        "title_en": "Weekend editor",
        "summary_ru": "Ведёт публикации по выходным.",
        "summary_en": "Runs the weekend posts.",
        "section__organisation": "100",
        "pick": ["organisation.deadlines"],
        "stage__organisation.deadlines": "interview",
        **fields,
    }


@pytest.mark.parametrize(
    ("must", "message"),
    [
        (
            "7",
            "7 — вне шкалы критерия organisation.deadlines (от 1 до 4): выберите уровень от 1 до 4",
        ),
        ("2,5", "2.5 — не уровень шкалы: порог обязательного требования — целый уровень шкалы"),
    ],
)
def test_a_threshold_off_the_scale_shows_the_form_again_in_russian(
    hr: httpx.Client, must: str, message: str
) -> None:
    builder = hr.get("/profiles/new")

    page = hr.post(
        "/profiles/new",
        data=weekend_editor_form(builder, **{"must__organisation.deadlines": must}),
    )

    assert page.status_code == 400
    assert "<code>must_haves.0.min_rating</code>" in page.text
    assert message in page.text
    assert "weekend_editor" not in hr.get("/profiles").text


def test_the_builder_warns_about_a_stage_of_more_than_12_criteria(hr: httpx.Client) -> None:
    picked = [
        criterion.id
        for criterion in builtin_library().rubrics["core_traits"].criteria()
        if criterion.id.split(".")[0] in ("passion", "communicability", "flexibility")
    ][:13]
    builder = hr.get("/profiles/new")
    form = weekend_editor_form(
        builder,
        id="talker",
        section__core_traits="100",
        section__organisation="",
        pick=picked,
        **{f"stage__{cid}": "interview" for cid in picked},
    )
    del form["stage__organisation.deadlines"]
    warning = "этап «Собеседование»: критериев — 13, около 65 минут; структурированное"

    saved = hr.post("/profiles/new", data=form)  # a warning does not stop the save
    edit = hr.get(f"{saved.url.path}/edit")
    form["stage__" + picked[0]] = "final"
    fewer = hr.post(f"{saved.url.path}/edit", data={**form, "csrf_token": csrf_token_of(edit)})

    assert saved.status_code == 200 and saved.url.path.startswith("/profiles/")
    assert warning in saved.text
    assert warning in edit.text and 'id="stage-warnings"' in edit.text
    assert "версия 2" in fewer.text
    assert 'id="stage-warnings"' not in fewer.text
