"""Reading a CSV of candidates: encoding, columns and every row checked before anything is saved."""

import csv
import io
import re
from dataclasses import dataclass, field

from app.i18n import N_
from app.profiles.schema import Platform

MAX_ROWS = 5_000
MAX_BYTES = 5 * 1024 * 1024
REQUIRED_COLUMNS = ("full_name",)
KNOWN_COLUMNS = (
    "full_name",
    "email",
    "phone",
    "location",
    "years_in_smm",
    "platforms",
    "source",
    "external_id",
)
# Russian headers people export from spreadsheets, mapped to ours.
COLUMN_ALIASES = {
    "фио": "full_name",
    "имя": "full_name",
    "name": "full_name",
    "почта": "email",
    "e-mail": "email",
    "телефон": "phone",
    "город": "location",
    "опыт": "years_in_smm",
    "стаж": "years_in_smm",
    "площадки": "platforms",
    "источник": "source",
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Message:
    """A message for people: a gettext id and the values of its placeholders."""

    text: str
    values: dict = field(default_factory=dict)


@dataclass
class CandidateRow:
    line: int
    full_name: str
    email: str = ""
    phone: str = ""
    location: str = ""
    source: str = "csv"
    external_id: str | None = None
    profile: dict = field(default_factory=dict)


@dataclass
class CsvReading:
    rows: list[CandidateRow] = field(default_factory=list)
    row_errors: list[tuple[int, str, Message]] = field(default_factory=list)  # line, column, what
    file_error: Message | None = None
    encoding: str = ""

    @property
    def ok(self) -> bool:
        return self.file_error is None and not self.row_errors and bool(self.rows)


def decode(data: bytes) -> tuple[str | None, str]:
    """Returns the text and its encoding: UTF-8 (with or without BOM), or Windows-1251, which
    Russian spreadsheets often save; None when it is neither."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1251", errors="replace")
    letters = sum(1 for ch in text if ch.isalpha())
    cyrillic = sum(1 for ch in text if "а" <= ch.lower() <= "я" or ch in "ёЁ")
    if "\ufffd" in text or "\x00" in text or (letters and cyrillic / letters < 0.3):
        return None, ""
    return text, "windows-1251"


def read_candidates(
    data: bytes, *, max_rows: int = MAX_ROWS, max_bytes: int = MAX_BYTES
) -> CsvReading:
    """Returns the rows of a candidates CSV with every problem found; saves nothing."""
    reading = CsvReading()
    if len(data) > max_bytes:
        reading.file_error = Message(
            N_("The file is %(size)s MB: upload at most %(limit)s MB (%(rows)s rows) at a time."),
            {
                "size": len(data) // 1024 // 1024,
                "limit": max_bytes // 1024 // 1024,
                "rows": max_rows,
            },
        )
        return reading
    text, reading.encoding = decode(data)
    if text is None:
        reading.file_error = Message(
            N_("The file is neither UTF-8 nor Windows-1251 text: save it as CSV (UTF-8).")
        )
        return reading
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    header = (
        [COLUMN_ALIASES.get(name.strip().lower(), name.strip().lower()) for name in rows[0]]
        if rows
        else []
    )
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        reading.file_error = Message(
            N_("No column %(missing)s: the first line must name the columns, e.g. %(example)s."),
            {"missing": ", ".join(missing), "example": ",".join(KNOWN_COLUMNS)},
        )
        return reading
    body = [
        (number, row) for number, row in enumerate(rows[1:], start=2) if any(c.strip() for c in row)
    ]
    if len(body) > max_rows:
        reading.file_error = Message(
            N_("The file has %(count)s rows: upload at most %(rows)s at a time (split it)."),
            {"count": len(body), "rows": max_rows},
        )
        return reading
    if not body:
        reading.file_error = Message(N_("The file has a header but no candidates."))
        return reading
    for number, cells in body:
        values = {
            name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)
        }
        reading.rows.append(_row(number, values, reading.row_errors))
    return reading


def _row(line: int, values: dict[str, str], errors: list) -> CandidateRow:
    row = CandidateRow(line=line, full_name=values.get("full_name", ""))
    if not row.full_name:
        errors.append((line, "full_name", Message(N_("The name is empty."))))
    row.email = values.get("email", "").lower()
    if row.email and not _EMAIL.match(row.email):
        errors.append(
            (
                line,
                "email",
                Message(N_("%(value)s is not an e-mail address."), {"value": row.email}),
            )
        )
    row.phone = values.get("phone", "")
    row.location = values.get("location", "")
    row.source = values.get("source") or "csv"
    row.external_id = values.get("external_id") or None
    years = values.get("years_in_smm", "").replace(",", ".")
    if years:
        try:
            row.profile["years_in_smm"] = float(years)
        except ValueError:
            errors.append(
                (
                    line,
                    "years_in_smm",
                    Message(N_("%(value)s is not a number of years."), {"value": years}),
                )
            )
    platforms = [
        p.strip().lower() for p in re.split(r"[;,|]", values.get("platforms", "")) if p.strip()
    ]
    known = {item.value for item in Platform}
    unknown = [p for p in platforms if p not in known]
    if unknown:
        errors.append(
            (
                line,
                "platforms",
                Message(N_("Unknown platform: %(value)s."), {"value": ", ".join(unknown)}),
            )
        )
    elif platforms:
        row.profile["platforms"] = platforms
    return row
