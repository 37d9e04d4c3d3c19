"""`make bench` (documents): a posting rendered in every format, and an interview-sheet PDF.
Goals: under 5 ms per posting (all formats), under 500 ms per PDF sheet."""

import statistics
import time
from datetime import UTC, datetime

from app.postings.generator import OrganisationInfo, json_ld, posting_content, render
from app.rubrics.library import builtin_library
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
        )

    times = timed(posting, 200)
    print(
        f"documents, a posting in all formats (HTML, Markdown, text, JSON-LD): "
        f"p50 {statistics.median(times):.2f} ms, p95 {times[189]:.2f} ms (goal < 5 ms)"
    )

    rows = "".join(
        f"<section><h2>{c.title.ru}</h2><p>{c.questions[0].text.ru}</p>"
        + "".join(f"<p>☐ {level}: {c.anchors[level].ru}</p>" for level in (1, 2, 3, 4))
        + "</section>"
        for _, (_, c) in list(criteria.items())[:20]
    )
    html = f'<html><body style="font-family: DejaVu Sans">{rows}</body></html>'
    times = timed(lambda: sheet_pdf(html), 10)
    print(
        f"documents, an interview-sheet PDF of 20 criteria: p50 {statistics.median(times):.0f} ms, "
        f"max {times[-1]:.0f} ms (goal < 500 ms)"
    )


if __name__ == "__main__":
    main()
