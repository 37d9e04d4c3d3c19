"""Reads YAML and remembers the line of every key and list item, for messages about files."""

from typing import Any

import yaml

from app.rubrics.checks import Path, Problem


def load_yaml(text: str) -> tuple[Any, dict[Path, int], list[Problem]]:
    """Returns the data, the line of each path (parts as strings), and a syntax problem if any."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        reason = getattr(exc, "problem", None) or str(exc)
        return None, {}, [Problem((), f"not valid YAML ({reason}): fix the syntax", line=line)]
    lines: dict[Path, int] = {}
    if node is not None:
        _walk(node, (), lines)
    return data, lines, []


def _walk(node: yaml.Node, path: Path, lines: dict[Path, int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*path, str(key_node.value))
            lines[child] = key_node.start_mark.line + 1
            _walk(value_node, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, str(index)), lines)
