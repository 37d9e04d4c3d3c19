"""The built-in library: rubric files (rubrics/*.yaml) and role profiles (rubrics/profiles/),
checked one by one and as a whole."""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from app import PROJECT_ROOT
from app.profiles.checks import check_profile, stage_warnings
from app.profiles.schema import RoleProfile
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
    """Rubrics that passed every check, the problems of those that did not, and warnings
    about accepted files (loaded all the same)."""

    rubrics: dict[str, Rubric] = field(default_factory=dict)
    profiles: dict[str, RoleProfile] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def criteria(self) -> dict[str, tuple[Rubric, Criterion]]:
        return {
            criterion.id: (rubric, criterion)
            for rubric in self.rubrics.values()
            for criterion in rubric.criteria()
        }


@cache
def builtin_library(folder: Path = BUILTIN_DIR) -> Library:
    """Returns the library in the folder, read once per process (`smm-hire rubrics reload`
    reads it again)."""
    return load_library([folder])


def split_paths(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """Returns the rubric and profile files named; a folder holds rubrics, and profiles/."""
    rubric_paths: list[Path] = []
    profile_paths: list[Path] = []
    for path in paths:
        if path.is_dir():
            rubric_paths.extend(_yaml_files(path))
            profile_paths.extend(_yaml_files(path / "profiles"))
        elif path.parent.name == "profiles":
            profile_paths.append(path)
        else:
            rubric_paths.append(path)
    return rubric_paths, profile_paths


def _yaml_files(folder: Path) -> list[Path]:
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])


def read_document(
    path: Path,
    model: type,
    check: Callable[[Any], list[Problem]],
    warn: Callable[[Any], list[Problem]] = lambda document: [],
) -> tuple[Any, list[Problem], list[Problem]]:
    """Returns the document in the file (None when it has problems), its problems, and the
    warnings about it when it has none."""
    name = _display_name(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem((), f"cannot read the file ({exc}): check the path", file=name)], []
    data, lines, problems = load_yaml(text)
    document = None
    if not problems:
        document, problems = validate_document(model, data)
        if document is not None:
            problems = check(document)
    if problems:
        return None, in_file(problems, name, lines), []
    return document, [], in_file(warn(document), name, lines)


def load_library(paths: list[Path] | None = None) -> Library:
    """Returns what the files hold (default: rubrics/); a broken file is refused, not fatal."""
    rubric_paths, profile_paths = split_paths(paths or [BUILTIN_DIR])
    # Criterion ids across all files, so `related:` may point into another rubric.
    all_ids = _criterion_ids_in(rubric_paths)
    library = Library()
    for path in rubric_paths:
        rubric, problems, _ = read_document(
            path, Rubric, lambda rubric: check_rubric(rubric, known_criterion_ids=all_ids)
        )
        library.problems.extend(problems)
        if rubric is None:
            continue
        clashes = {c.id for c in rubric.criteria()} & set(library.criteria())
        if rubric.id in library.rubrics or clashes:
            what = (
                f"rubric id {rubric.id!r}"
                if rubric.id in library.rubrics
                else f"criterion id {sorted(clashes)[0]!r}"
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
    criteria = library.criteria()
    for path in profile_paths:
        profile, problems, warnings = read_document(
            path,
            RoleProfile,
            lambda profile: check_profile(profile, criteria),
            lambda profile: stage_warnings(profile.stages),
        )
        library.problems.extend(problems)
        if profile is None:
            continue
        library.warnings.extend(warnings)
        if profile.id in library.profiles:
            library.problems.append(
                Problem(
                    ("id",),
                    f"duplicate profile id {profile.id!r}: another file uses it",
                    file=_display_name(path),
                    line=1,
                )
            )
            continue
        library.profiles[profile.id] = profile
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
