"""The password policy for new users: long enough, not one people guess first, not the e-mail.

Length and a short list of the passwords guessed first, rather than rules about digits and
capitals, which make passwords harder to remember and no harder to guess."""

import re

from app.i18n import N_

MIN_PASSWORD_LENGTH = 8
# Argon2 would hash any length; the cap bounds the work one sign-in attempt can cause.
MAX_PASSWORD_LENGTH = 256
TOO_SHORT = N_("The password is shorter than 8 characters: use a longer one.")
TOO_LONG = N_("The password is longer than 256 characters: use a shorter one.")
TOO_COMMON = N_(
    "This password is among the first that attackers try: choose another, "
    "for example three unrelated words."
)
IS_EMAIL = N_("The password must not be the e-mail address.")

# What attackers try first: keyboard walks (Latin and Russian layouts), words typed in the wrong
# layout ("gfhjkm" is "пароль"), and this product's own name. Compared after trailing digits
# and symbols are cut off, so "Qwerty123!" counts as "qwerty".
COMMON_PASSWORDS = frozenset(
    {
        "password",
        "passw0rd",
        "pass",
        "qwerty",
        "qwertyui",
        "qwertyuiop",
        "asdfgh",
        "asdfghjk",
        "asdfghjkl",
        "zxcvbnm",
        "qazwsx",
        "qwe",
        "abc",
        "iloveyou",
        "admin",
        "administrator",
        "root",
        "welcome",
        "letmein",
        "changeme",
        "secret",
        "default",
        "login",
        "guest",
        "test",
        "hello",
        "monkey",
        "dragon",
        "master",
        "shadow",
        "sunshine",
        "princess",
        "football",
        "superman",
        "freedom",
        "whatever",
        "trustno",
        "starwars",
        "computer",
        "internet",
        "пароль",
        "йцукен",
        "йцукенгш",
        "йцукенгшщз",
        "привет",
        "любовь",
        "солнышко",
        "gfhjkm",
        "ghbdtn",
        "smmhire",
        "smm-hire",
        "instagram",
        "vkontakte",
        "telegram",
    }
)
_EDGES = re.compile(r"^[\d\W_]+|[\d\W_]+$")


def _is_run(password: str) -> bool:
    """True for one character repeated or a straight run: "aaaaaaaa", "12345678", "87654321"."""
    steps = {ord(b) - ord(a) for a, b in zip(password, password[1:], strict=False)}
    return len(steps) == 1 and steps <= {-1, 0, 1}


def password_problem(password: str, *, email: str = "") -> str | None:
    """Returns what is wrong with a new password (a message id for _()), or None when it is
    acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return TOO_SHORT
    if len(password) > MAX_PASSWORD_LENGTH:
        return TOO_LONG
    folded = password.strip().casefold()
    if email and folded in (email.strip().casefold(), email.strip().casefold().split("@")[0]):
        return IS_EMAIL
    word = _EDGES.sub("", folded)
    if word in COMMON_PASSWORDS or _is_run(folded) or len(set(folded)) < 4:
        return TOO_COMMON
    return None
