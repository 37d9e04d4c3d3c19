"""Geometry for the small server-drawn SVG pictures (no JavaScript, readable when printed)."""

import math


def radar_points(values: list[float | None], *, radius: float = 60, centre: float = 80) -> str:
    """Returns the polygon points of values 0..1 on evenly spaced axes, the first pointing up
    (a missing value sits at the centre)."""
    points = []
    for index, value in enumerate(values):
        angle = -math.pi / 2 + 2 * math.pi * index / len(values)
        length = radius * (value or 0.0)
        points.append(
            f"{centre + length * math.cos(angle):.1f},{centre + length * math.sin(angle):.1f}"
        )
    return " ".join(points)


def radar_axes(count: int, *, radius: float = 60, centre: float = 80) -> list[tuple[float, float]]:
    """Returns the outer end of each axis."""
    return [
        (
            centre + radius * math.cos(-math.pi / 2 + 2 * math.pi * i / count),
            centre + radius * math.sin(-math.pi / 2 + 2 * math.pi * i / count),
        )
        for i in range(count)
    ]
