"""Every interface string has its Russian translation in the gettext catalogue."""

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from app import PROJECT_ROOT
from app.i18n import LOCALE_DIR, gettext_for
from app.models import Locale

METHOD_MAP = [("app/**.py", "python"), ("templates/**.html", "jinja2")]


def extracted_messages() -> set[str]:
    return {
        message
        for _, _, message, _, _ in extract_from_dir(
            PROJECT_ROOT, METHOD_MAP, keywords={"_": None, "N_": None}
        )
        if isinstance(message, str)
    }


def test_every_string_in_code_and_templates_is_translated_to_russian() -> None:
    with (LOCALE_DIR / "ru" / "LC_MESSAGES" / "messages.po").open("rb") as source:
        catalogue = {message.id: message.string for message in read_po(source) if message.id}

    untranslated = sorted(m for m in extracted_messages() if not catalogue.get(m))

    assert untranslated == [], "run `make messages` and translate these in messages.po"


def test_placeholders_are_filled_in_both_languages() -> None:
    assert gettext_for(Locale.RU)("Hello, %(name)s!", name="Ира") == "Здравствуйте, Ира!"
    assert gettext_for(Locale.EN)("Hello, %(name)s!", name="Ira") == "Hello, Ira!"
