"""`make bench` (documents): a posting rendered in every format, and an interview-sheet PDF.
Goals: under 5 ms per posting (all formats), under 500 ms per PDF sheet. WeasyPrint lays out
about 35 ms of text per criterion, so the sheet's time grows with its stage's criteria."""

import statistics
import time
from datetime import UTC, datetime

from app.models import Locale
from app.postings.generator import OrganisationInfo, json_ld, posting_content, render
from app.profiles.schema import InterviewStage
from app.rubrics.library import builtin_library
from app.sheets.service import document_context, sheet_context
from app.templating.sandbox import builtin_template, run
from app.web.pdf import sheet_pdf

ORGANISATION = OrganisationInfo(
    "Цветы и лапы",
    "Ведём соцсети приюта.",
    "Помогаем животным.",
    "https://example.org",
    ("Обучение за счёт компании",),
)


def timed(action, repeat: int) -> list[float]:  # noqa: ANN001
    action()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)


def main() -> None:
    library = builtin_library()
    criteria = {cid: (rubric.category, c) for cid, (rubric, c) in library.criteria().items()}
    profile = library.profiles["smm_manager"]

    def posting() -> None:
        content = posting_content(
            organisation=ORGANISATION,
            title="SMM-менеджер",
            profile=profile,
            criteria=criteria,
            locale="ru",
            tone="friendly",
            apply_url="https://hire.example/careers/demo/x",
        )
        for output in ("html", "md", "txt"):
            render(content, output)
        json_ld(
            content,
            profile=profile,
            organisation=ORGANISATION,
            identifier="x",
            date_posted=datetime.now(UTC),
            valid_through=None,
            description=render(content, "html"),
        )

    times = timed(posting, 200)
    print(
        f"documents, a posting in all formats (HTML, Markdown, text, JSON-LD): "
        f"p50 {statistics.median(times):.2f} ms, p95 {times[189]:.2f} ms (goal < 5 ms)"
    )

    # Real sheets: the built-in community manager's stages, through the built-in template.
    community = library.profiles["community_manager"]
    for stage in (InterviewStage.SCREENING, InterviewStage.WORK_SAMPLE, InterviewStage.INTERVIEW):
        context = sheet_context(community, library.criteria(), stage=stage, candidate="Вера К.")
        html = run(builtin_template("sheet.html"), document_context(context, Locale.RU))
        times = timed(lambda html=html: sheet_pdf(html), 5)
        print(
            f"documents, an interview-sheet PDF of {len(context['items'])} criteria "
            f"({stage.value}): p50 {statistics.median(times):.0f} ms, max {times[-1]:.0f} ms "
            f"(goal < 500 ms)"
        )


if __name__ == "__main__":
    main()
