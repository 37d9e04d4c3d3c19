"""Document templates (postings and interview sheets) run in Jinja's sandbox, because
organisations may write their own: a template sees the data it is given and nothing of Python's
internals. Errors come back as InvalidInput naming the template's line."""

import functools
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, Template, TemplateError, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from app import PROJECT_ROOT
from app.errors import InvalidInput

# The built-in template of each document an organisation may replace.
BUILTIN = {
    "posting.html": "postings/posting.html",
    "posting.md": "postings/posting.md",
    "posting.txt": "postings/posting.txt",
    "sheet.html": "sheets/interview.html",
}
MAX_SOURCE_CHARS = 50_000


def _environment(*, autoescape: bool) -> SandboxedEnvironment:
    return SandboxedEnvironment(
        loader=FileSystemLoader(PROJECT_ROOT / "templates"),
        autoescape=autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


# HTML escapes what it prints; Markdown and plain text print values as they are.
_ENVIRONMENTS = {True: _environment(autoescape=True), False: _environment(autoescape=False)}


def is_html(name: str) -> bool:
    return name.endswith(".html")


class TemplateProblem(InvalidInput):
    """A template that does not compile or fails when it runs; `line` is where, when known."""

    def __init__(self, message: str, line: int | None) -> None:
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message, field="source")


def builtin_template(name: str) -> Template:
    return _ENVIRONMENTS[is_html(name)].get_template(BUILTIN[name])


def builtin_source(name: str) -> str:
    return (PROJECT_ROOT / "templates" / BUILTIN[name]).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=256)
def compile_source(name: str, source: str) -> Template:
    """Returns an organisation's template, compiled once per distinct source."""
    if name not in BUILTIN:
        raise InvalidInput(f"unknown template {name!r}: use {', '.join(BUILTIN)}", field="name")
    if len(source) > MAX_SOURCE_CHARS:
        raise InvalidInput(
            f"the template is longer than {MAX_SOURCE_CHARS:,} characters", field="source"
        )
    try:
        return _ENVIRONMENTS[is_html(name)].from_string(source)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(exc.message or str(exc), exc.lineno) from None


def run(template: Template, context: dict[str, Any]) -> str:
    """Renders a template; what goes wrong inside it (an unknown name, an unsafe attribute, a
    failing filter) becomes a TemplateProblem with the line it happened on."""
    try:
        return template.render(context)
    except (TemplateError, TypeError, ValueError, ArithmeticError, LookupError) as exc:
        raise TemplateProblem(_first_line(exc), _template_line(exc)) from None


def _first_line(exc: Exception) -> str:
    text = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return text.splitlines()[0]


def _template_line(exc: BaseException) -> int | None:
    # Jinja rewrites tracebacks so that the template's own frames name "<template>" as their
    # file and carry the template's line numbers; the innermost one is where it failed.
    line = None
    trace = exc.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == "<template>":
            line = trace.tb_lineno
        trace = trace.tb_next
    return line
