"""Interface texts in Russian and English, and how a request's language is chosen."""

from app.models import Locale

MESSAGES: dict[str, dict[Locale, str]] = {
    "app.name": {Locale.RU: "smm-hire", Locale.EN: "smm-hire"},
    "app.tagline": {
        Locale.RU: "Найм и оценка SMM-специалистов",
        Locale.EN: "Hiring and assessing social media managers",
    },
    "nav.dashboard": {Locale.RU: "Главная", Locale.EN: "Dashboard"},
    "nav.skip": {Locale.RU: "Перейти к содержимому", Locale.EN: "Skip to content"},
    "nav.language": {Locale.RU: "Язык", Locale.EN: "Language"},
    "nav.logout": {Locale.RU: "Выйти", Locale.EN: "Sign out"},
    "login.title": {Locale.RU: "Вход", Locale.EN: "Sign in"},
    "login.email": {Locale.RU: "Электронная почта", Locale.EN: "E-mail"},
    "login.password": {Locale.RU: "Пароль", Locale.EN: "Password"},
    "login.submit": {Locale.RU: "Войти", Locale.EN: "Sign in"},
    "login.failed": {
        Locale.RU: "Неверная почта или пароль. Проверьте раскладку и попробуйте ещё раз.",
        Locale.EN: "Wrong e-mail or password. Check them and try again.",
    },
    "login.too_many": {
        Locale.RU: "Слишком много попыток входа. Подождите минуту и попробуйте снова.",
        Locale.EN: "Too many sign-in attempts. Wait a minute and try again.",
    },
    "login.required": {
        Locale.RU: "Введите почту и пароль.",
        Locale.EN: "Enter your e-mail and password.",
    },
    "dashboard.title": {Locale.RU: "Главная", Locale.EN: "Dashboard"},
    "dashboard.greeting": {Locale.RU: "Здравствуйте, {name}!", Locale.EN: "Hello, {name}!"},
    "dashboard.organisation": {Locale.RU: "Организация", Locale.EN: "Organisation"},
    "dashboard.role": {Locale.RU: "Роль", Locale.EN: "Role"},
    "dashboard.empty": {
        Locale.RU: "Здесь появятся ваши собеседования, черновики оценок и вакансии.",
        Locale.EN: "Your interviews, draft scorecards and vacancies will appear here.",
    },
    "role.admin": {Locale.RU: "администратор", Locale.EN: "administrator"},
    "role.hr": {Locale.RU: "HR", Locale.EN: "HR"},
    "role.recruiter": {Locale.RU: "рекрутер", Locale.EN: "recruiter"},
    "role.interviewer": {Locale.RU: "интервьюер", Locale.EN: "interviewer"},
    "error.back": {Locale.RU: "На главную", Locale.EN: "Back to the dashboard"},
    "error.400.title": {Locale.RU: "Запрос не выполнен", Locale.EN: "Request not done"},
    "error.403.title": {Locale.RU: "Доступ запрещён", Locale.EN: "Access denied"},
    "error.403.text": {
        Locale.RU: "У вас нет прав на это действие. Если они нужны, обратитесь к администратору.",
        Locale.EN: "You may not do this. Ask your administrator if you need to.",
    },
    "error.csrf.text": {
        Locale.RU: "Форма устарела. Вернитесь назад, обновите страницу и отправьте её снова.",
        Locale.EN: "The form has expired. Go back, reload the page and send it again.",
    },
    "error.404.title": {Locale.RU: "Страница не найдена", Locale.EN: "Page not found"},
    "error.404.text": {
        Locale.RU: "Такой страницы нет или у вас нет к ней доступа.",
        Locale.EN: "This page does not exist, or you have no access to it.",
    },
    "error.500.title": {Locale.RU: "Ошибка на сервере", Locale.EN: "Server error"},
    "error.500.text": {
        Locale.RU: (
            "Что-то пошло не так на нашей стороне. Сохранённое не потеряно: попробуйте ещё раз."
        ),
        Locale.EN: "Something went wrong on our side. Nothing you saved is lost: try again.",
    },
}


def translate(locale: Locale, key: str, **values: object) -> str:
    """Returns the text for key in the locale; values fill its {placeholders}."""
    text = MESSAGES[key][locale]
    return text.format(**values) if values else text


def locale_from_header(accept_language: str) -> Locale | None:
    """Returns the first of our locales named in an Accept-Language header."""
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in (Locale.RU, Locale.EN):
            return Locale(tag)
    return None
