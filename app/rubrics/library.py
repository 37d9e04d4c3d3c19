"""The built-in library: rubric files (rubrics/*.yaml) checked one by one and as a whole."""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from app import PROJECT_ROOT
from app.rubrics.checks import Problem, check_rubric, in_file, validate_document
from app.rubrics.schema import Criterion, Rubric
from app.rubrics.yaml_lines import load_yaml

BUILTIN_DIR = PROJECT_ROOT / "rubrics"


def content_sha256(document: dict) -> str:
    """Returns the hash that identifies a version: the same content always gives the same hash."""
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def rubric_document(rubric: Rubric) -> dict:
    """Returns the rubric as plain JSON-ready data (what is stored and hashed)."""
    return rubric.model_dump(mode="json")


@dataclass
class Library:
    """Rubrics that passed every check, and the problems of those that did not."""

    rubrics: dict[str, Rubric] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def criteria(self) -> dict[str, tuple[Rubric, Criterion]]:
        return {
            criterion.id: (rubric, criterion)
            for rubric in self.rubrics.values()
            for criterion in rubric.criteria()
        }


def rubric_files(paths: list[Path]) -> list[Path]:
    """Returns the rubric files named, looking inside folders (but not in profiles/)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml")))
        else:
            files.append(path)
    return files


def read_rubric_file(path: Path, *, known_criterion_ids: set[str]) -> tuple[Rubric | None, list]:
    """Returns the rubric in the file (None when it has problems) and its problems."""
    name = _display_name(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem((), f"cannot read the file ({exc}): check the path", file=name)]
    data, lines, problems = load_yaml(text)
    if not problems:
        rubric, problems = validate_document(Rubric, data)
        if rubric is not None:
            problems = check_rubric(rubric, known_criterion_ids=known_criterion_ids)
    problems = in_file(problems, name, lines)
    return (None if problems else rubric), problems


def load_library(paths: list[Path] | None = None) -> Library:
    """Returns the rubrics of the files (default: rubrics/); a broken file is refused, not fatal."""
    files = rubric_files(paths or [BUILTIN_DIR])
    # Criterion ids across all files, so `related:` may point into another rubric.
    all_ids = _criterion_ids_in(files)
    library = Library()
    rubric_ids: Counter[str] = Counter()
    for path in files:
        rubric, problems = read_rubric_file(path, known_criterion_ids=all_ids)
        library.problems.extend(problems)
        if rubric is None:
            continue
        rubric_ids[rubric.id] += 1
        clashes = set(c.id for c in rubric.criteria()) & set(library.criteria())
        if rubric_ids[rubric.id] > 1 or clashes:
            what = (
                f"rubric id {rubric.id!r}"
                if rubric_ids[rubric.id] > 1
                else (f"criterion id {sorted(clashes)[0]!r}")
            )
            library.problems.append(
                Problem(
                    ("id",),
                    f"duplicate {what}: another file uses it already",
                    file=_display_name(path),
                    line=1,
                )
            )
            continue
        library.rubrics[rubric.id] = rubric
    return library


def _criterion_ids_in(files: list[Path]) -> set[str]:
    ids: set[str] = set()
    for path in files:
        try:
            data, _, _ = load_yaml(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
        for section in (data or {}).get("sections", []) if isinstance(data, dict) else []:
            for criterion in section.get("criteria", []) if isinstance(section, dict) else []:
                if isinstance(criterion, dict) and isinstance(criterion.get("id"), str):
                    ids.add(criterion["id"])
    return ids


def _display_name(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
