"""Interface language: gettext catalogues (Babel) for Russian, English as the source language.

The catalogue is app/locale/ru/LC_MESSAGES/messages.po; `make messages` extracts new strings
from the code and the templates into it. It is read at start-up, no compiled .mo files needed.
"""

import io
from collections.abc import Callable
from functools import cache

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from app import PROJECT_ROOT
from app.models import Locale

LOCALE_DIR = PROJECT_ROOT / "app" / "locale"
Gettext = Callable[..., str]


def N_(message: str) -> str:  # noqa: N802  (the usual name for "mark for translation")
    """Marks a string for extraction; it is translated where it is shown."""
    return message


@cache
def translations(locale: Locale) -> NullTranslations:
    """Returns the catalogue of the locale (English needs none: it is the source language)."""
    po_file = LOCALE_DIR / locale.value / "LC_MESSAGES" / "messages.po"
    if locale == Locale.EN or not po_file.exists():
        return NullTranslations()
    with po_file.open("rb") as source:
        catalog = read_po(source, locale=locale.value)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def gettext_for(locale: Locale) -> Gettext:
    """Returns _() for the locale: _("Hello, %(name)s!", name=...) fills the placeholders."""
    catalogue = translations(locale)

    def gettext(message: str, **values: object) -> str:
        text = catalogue.gettext(message)
        return text % values if values else text

    return gettext


def locale_from_header(accept_language: str) -> Locale | None:
    """Returns the first of our locales named in an Accept-Language header."""
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in (Locale.RU, Locale.EN):
            return Locale(tag)
    return None
