"""How much each section and criterion of a profile counts in the overall score (pure)."""

from dataclasses import dataclass

from app.profiles.schema import RoleProfile
from app.rubrics.schema import Category, Criterion, Rubric


@dataclass(frozen=True)
class CriterionWeight:
    criterion: Criterion
    weight: float  # as set in the profile, or the rubric's default
    share: float  # of the overall score, 0..1


@dataclass(frozen=True)
class SectionWeight:
    category: Category
    weight: float
    share: float  # of the overall score, 0..1
    criteria: list[CriterionWeight]


def section_weights(
    profile: RoleProfile, criteria: dict[str, tuple[Rubric, Criterion]]
) -> list[SectionWeight]:
    """Returns the sections in the usual order with their shares; shares add up to 1."""
    sections: list[tuple[Category, float, list[tuple[Criterion, float]]]] = []
    for category in Category:
        picks = [
            (
                criteria[pick.id][1],
                pick.weight if pick.weight is not None else criteria[pick.id][1].weight,
            )
            for pick in profile.criteria
            if pick.id in criteria and criteria[pick.id][0].category == category
        ]
        weight = profile.section_weights.get(category, 0)
        if picks and weight > 0 and sum(w for _, w in picks) > 0:
            sections.append((category, weight, picks))
    total = sum(weight for _, weight, _ in sections)
    result = []
    for category, weight, picks in sections:
        share = weight / total
        inside = sum(w for _, w in picks)
        result.append(
            SectionWeight(
                category=category,
                weight=weight,
                share=share,
                criteria=[CriterionWeight(c, w, share * w / inside) for c, w in picks],
            )
        )
    return result
