"""Every item of every list of the source article is cited by at least one built-in criterion."""

from pathlib import Path

import pytest

from app.rubrics.library import builtin_library
from app.rubrics.seed import SEED_LISTS

SEED_FILE = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_9d77c8dbd4e798bd.txt"

# The seed's lists, written out here independently of app/rubrics/seed.py:
# (list, item number, words from the article).
SEED_ITEMS = [
    ("strategy", 1, "Создание стратегии для соц. медиа"),
    ("strategy", 2, "Определение бюджета для продвижения"),
    ("strategy", 3, "Планирование кампаний"),
    ("strategy", 4, "Работа с внутренними заинтересованными сторонами"),
    ("strategy", 5, "Набор и управление командой SMM для организации"),
    ("strategy", 6, "Управление изменениями и внедрение социальных медиа в корпоративную культуру"),
    ("strategy", 7, "Работа с другими отделами маркетинга"),
    ("implementation", 1, "Управление кампаниями и другие повседневные действия"),
    ("implementation", 2, "Управление присутствием в социальных медиа"),
    ("implementation", 3, "Пропаганда бренда"),
    ("implementation", 4, "Общественная деятельность"),
    ("implementation", 5, "Управление программой охвата блоггерами"),
    ("implementation", 6, "Построение сети представительств бренда"),
    ("implementation", 7, "Публикация и комментирование соответствующих блогов"),
    ("implementation", 8, "Посадка семян"),
    ("implementation", 9, "Написание редакционного контента"),
    ("implementation", 10, "Создание и загрузка видеороликов или инфографики"),
    ("implementation", 11, "Создание и принятие участий в беседах"),
    ("implementation", 12, "Создание и поддержка редакционного календаря"),
    ("monitoring", 1, "Разработка контрольных показателей для оценки результатов программ"),
    ("monitoring", 2, "Анализ и оценка кампаний и стратегий"),
    ("monitoring", 3, "Отчет об эффективности кампаний"),
    ("monitoring", 4, "Мониторинг тенденций"),
    ("monitoring", 5, "Контроль деятельности основных конкурентов"),
    ("monitoring", 6, "Мониторинг социального пространства для бренда"),
    ("monitoring", 7, "как соц. сети влияют на поисковый трафик"),
    ("qualifications", 1, "3-6 лет опыта работы в сфере маркетинга и/или PR"),
    ("qualifications", 2, "Опыт разработки стратегий в социальных сетях"),
    ("qualifications", 3, "Опыт в аутрич-работе, в продажах в соц. сетях, в PR, в buzz building"),
    ("qualifications", 4, "проверенную основу для привлечения подписчиков"),
    ("qualifications", 5, "Наличие опыта использования инструментов анализа соц. медиа"),
    ("qualifications", 6, "Творческие навыки для создания новых и инновационных идей"),
    ("qualifications", 7, "Возможность создания передовой группы и контента для нее"),
    ("qualifications", 8, "Ведение блога и его корректура"),
    ("qualifications", 9, "Опыт использования социальных рекламных платформ"),
    ("qualifications", 10, "Опыт в использовании CMS"),
    ("organisation", 1, "Сильные организационные навыки и навыки общения"),
    ("organisation", 2, "соблюдать установленные сроки"),
    ("organisation", 3, "Способность устанавливать приоритеты"),
    ("organisation", 4, "Возможность работать независимо и по гибкому графику"),
    ("organisation", 5, "Точность и внимание к деталям"),
    ("organisation", 6, "Упреждающий и находчивый подход"),
    ("organisation", 7, "степени бакалавра или выше"),
    ("passion", 1, "активничать не только в Facebook, Twitter и LinkedIn"),
    ("passion", 2, "вести собственный блог"),
    ("passion", 3, "уметь находить перспективные платформы"),
    ("passion", 4, "подавать контент на нескольких ресурсах"),
    ("passion", 5, "группа по защите прав животных должна проверять всех подписчиков"),
    ("communicability", 1, "Нужно обращать внимание на форумы, веб-сайты, порталы с жалобами"),
    ("communicability", 2, "Адекватно реагировать на конструктивную (и не только) критику"),
    ("communicability", 3, "хорошо общаться в автономном режиме"),
    ("communicability", 4, "проведения текущих учебных и образовательных сессий"),
    ("communicability", 5, "посещать мероприятия, семинары, конференции"),
    ("flexibility", 1, "Адаптация к быстро меняющейся среде"),
    ("flexibility", 2, "в воскресенье в 10 часов вечера"),
    ("flexibility", 3, "управлять учетными записями с планшета или смартфона"),
    ("flexibility", 4, "умение думать на ходу"),
    ("flexibility", 5, "способность адаптироваться к изменяющимся ситуациям"),
    ("flexibility", 6, "способность учиться на своих ошибках"),
]


def cited_items() -> set[tuple[str, int]]:
    return {
        (reference.list, reference.item)
        for rubric in builtin_library().rubrics.values()
        for criterion in rubric.criteria()
        for reference in criterion.source
    }


@pytest.mark.parametrize(
    ("seed_list", "number", "words"),
    SEED_ITEMS,
    ids=[f"{item[0]}-{item[1]}" for item in SEED_ITEMS],
)
def test_seed_item_is_cited_by_a_criterion(seed_list: str, number: int, words: str) -> None:
    assert (seed_list, number) in cited_items(), f"no criterion cites {seed_list} {number}: {words}"


def test_the_table_holds_the_article_words() -> None:
    if not SEED_FILE.exists():
        pytest.skip(f"the seed article is not at {SEED_FILE}")
    # The article uses no-break spaces and sometimes a Cyrillic "М" in "SMM".
    article = SEED_FILE.read_text(encoding="utf-8").replace("\xa0", " ").replace("ё", "е")
    for seed_list, number, words in SEED_ITEMS:
        assert words.replace("ё", "е") in article, (seed_list, number)


def test_the_app_knows_exactly_these_lists() -> None:
    expected: dict[str, int] = {}
    for seed_list, number, _ in SEED_ITEMS:
        expected[seed_list] = max(expected.get(seed_list, 0), number)

    assert {key: len(seed.items) for key, seed in SEED_LISTS.items()} == expected
    assert sum(expected.values()) == 7 + 12 + 7 + 10 + 7 + 5 + 5 + 6


def test_every_built_in_criterion_is_complete_in_both_languages() -> None:
    library = builtin_library()
    assert library.problems == []
    for rubric in library.rubrics.values():
        for criterion in rubric.criteria():
            assert set(criterion.anchors) == set(rubric.scale.levels), criterion.id
            assert criterion.title.ru != criterion.title.en, criterion.id


def test_the_built_in_profiles_cover_the_roles_the_seed_splits_the_job_into() -> None:
    profiles = builtin_library().profiles

    assert set(profiles) == {
        "smm_manager",
        "smm_lead",
        "content_manager",
        "community_manager",
        "social_media_analyst",
        "smm_assistant",
    }
    full = profiles["smm_manager"]
    assert (full.experience.min_years, full.experience.max_years) == (3, 6)
    assert {kpi.funnel for kpi in full.kpis} >= {"awareness", "leads", "sales"}
    for profile in profiles.values():
        assert {"vk", "telegram"} & set(profile.platforms.required + profile.platforms.optional)
        assert profile.must_haves, profile.id
