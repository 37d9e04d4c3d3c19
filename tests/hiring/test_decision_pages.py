"""The decision form on the application page: it offers only the moves allowed from the
stage, and a refused decision comes back with the values kept and the error, in Russian."""

import html
import re
import uuid

import httpx
import pytest
from sqlmodel import Session, func, select

from app.models import Application, Candidate, StageDecision, Vacancy
from tests.hiring.test_pages import recruiter  # noqa: F401  (the fixture)
from tests.test_web_accounts import csrf_token_of


def application_of(db: Session, name: str) -> uuid.UUID:
    """The demo candidate's application to the community manager vacancy (its profile plans
    screening, interview and work sample)."""
    application_id = db.exec(
        select(Application.id)
        .join(Candidate, Candidate.id == Application.candidate_id)
        .join(Vacancy, Vacancy.id == Application.vacancy_id)
        .where(Candidate.full_name == name, Vacancy.title == "Комьюнити-менеджер")
    ).one()
    db.rollback()  # on SQLite an open transaction would keep the server from writing
    return application_id


def decisions_of(db: Session, application_id: uuid.UUID) -> int:
    count = db.exec(
        select(func.count())
        .select_from(StageDecision)
        .where(StageDecision.application_id == application_id)
    ).one()
    db.rollback()
    return count


def options(page: httpx.Response, select_id: str) -> list[str]:
    found = re.search(rf'<select id="{select_id}".*?</select>', page.text, re.S)
    return re.findall(r'<option value="([^"]+)"', found.group(0)) if found else []


def error_of(page: httpx.Response, field: str) -> str:
    found = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', page.text)
    return html.unescape(found.group(1)) if found else ""


def textarea(page: httpx.Response, name: str) -> str:
    found = re.search(rf'<textarea id="{name}"[^>]*>([^<]*)</textarea>', page.text)
    return html.unescape(found.group(1))


def test_the_form_offers_only_the_moves_from_the_stage(
    recruiter: httpx.Client,  # noqa: F811
    db: Session,
) -> None:
    applied, interviewed, rejected, hired = (
        recruiter.get(f"/applications/{application_of(db, name)}")
        for name in ("Алина Первова", "Дарья Собеседова", "Кирилл Отказов", "Инна Нанятова")
    )

    assert options(applied, "decision") == ["advance", "hold", "reject", "withdraw"]
    assert options(applied, "to_stage") == [
        *("screening", "interview", "work_sample", "offer", "hired"),
        *("applied", "rejected", "withdrawn"),
    ]
    assert 'name="override"' in applied.text  # no scorecard yet: a hire would be an override
    assert options(interviewed, "decision") == ["advance", "hold", "reopen", "reject", "withdraw"]
    assert options(interviewed, "to_stage")[:3] == ["work_sample", "offer", "hired"]
    assert 'name="override"' not in interviewed.text  # the panel's scorecards are submitted
    assert options(rejected, "decision") == ["reopen"]
    assert options(rejected, "to_stage") == [
        *("applied", "screening", "interview", "work_sample", "offer"),
    ]
    assert 'name="decision"' not in hired.text
    assert "Кандидат нанят: решение окончательное." in hired.text


@pytest.mark.parametrize(
    ("name", "form", "field", "message"),
    [
        (
            "Алина Первова",
            {"decision": "advance", "to_stage": "rejected"},
            "to_stage",
            "«Перевести дальше» ведёт только вперёд по этапам вакансии",
        ),
        (
            "Алина Первова",
            {"decision": "promote", "to_stage": "screening"},
            "decision",
            "Выберите решение из списка.",
        ),
        (
            "Алина Первова",
            {"decision": "advance", "to_stage": "hired", "override_reason": "Знаем её по работе"},
            "override",
            "Для найма нужна отправленная оценка с собеседования",
        ),
        (
            "Кирилл Отказов",
            {"decision": "advance", "to_stage": "interview"},
            "decision",
            "Это решение невозможно на текущем этапе отклика.",
        ),
        (
            "Дарья Собеседова",
            {"decision": "reopen", "to_stage": "work_sample"},
            "to_stage",
            "«Вернуть на этап» ведёт только назад",
        ),
    ],
    ids=["advance-to-rejected", "unknown-decision", "hire-without-scorecard", "rejected", "reopen"],
)
def test_a_refused_decision_shows_the_form_again_with_the_error_in_russian(
    recruiter: httpx.Client,  # noqa: F811
    db: Session,
    name: str,
    form: dict[str, str],
    field: str,
    message: str,
) -> None:
    application_id = application_of(db, name)
    before = decisions_of(db, application_id)
    page = recruiter.get(f"/applications/{application_id}")

    answer = recruiter.post(
        f"/applications/{application_id}/decide",
        data={"csrf_token": csrf_token_of(page), "reason": "Моя причина", **form},
    )

    assert answer.status_code == 422
    assert "Ничего не записано: исправьте отмеченные поля." in answer.text
    assert message in error_of(answer, field)
    assert textarea(answer, "reason") == "Моя причина"
    if "override_reason" in form:
        assert textarea(answer, "override_reason") == form["override_reason"]
    assert decisions_of(db, application_id) == before


def test_a_blank_reason_is_refused_beside_the_field(
    recruiter: httpx.Client,  # noqa: F811
    db: Session,
) -> None:
    application_id = application_of(db, "Алина Первова")
    page = recruiter.get(f"/applications/{application_id}")

    answer = recruiter.post(
        f"/applications/{application_id}/decide",
        data={
            "csrf_token": csrf_token_of(page),
            "decision": "advance",
            "to_stage": "screening",
            "reason": "   ",
        },
    )

    assert answer.status_code == 422
    assert error_of(answer, "reason") == "Напишите почему: у решения должна быть причина."
    assert decisions_of(db, application_id) == 0


def test_a_reopen_and_an_override_hire_show_in_the_history(
    recruiter: httpx.Client,  # noqa: F811
    db: Session,
) -> None:
    rejected, applied = application_of(db, "Кирилл Отказов"), application_of(db, "Алина Первова")
    token = csrf_token_of(recruiter.get(f"/applications/{rejected}"))

    reopened = recruiter.post(
        f"/applications/{rejected}/decide",
        data={
            "csrf_token": token,
            "decision": "reopen",
            "to_stage": "interview",
            "reason": "Отказали по ошибке",
        },
    )
    hired = recruiter.post(
        f"/applications/{applied}/decide",
        data={
            "csrf_token": token,
            "decision": "advance",
            "to_stage": "hired",
            "reason": "Приняла предложение",
            "override": "yes",
            "override_reason": "Проработала у нас стажёром два года",
        },
    )

    assert reopened.status_code == hired.status_code == 200  # after the redirect
    assert "Этап: <strong>Собеседование</strong>" in reopened.text
    history = re.search(r'<li id="decision-[^"]+">(.*?)</li>', reopened.text, re.S).group(1)
    assert "Вернуть на этап (Отказ → Собеседование)" in history
    assert "«Отказали по ошибке»" in history
    history = re.search(r'<li id="decision-[^"]+">(.*?)</li>', hired.text, re.S).group(1)
    assert "исключение" in history
    assert "«Проработала у нас стажёром два года»" in history
