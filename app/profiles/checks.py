"""Checks of a role profile against the criteria it picks: each problem with its path and fix."""

from collections import Counter
from collections.abc import Iterable, Mapping

from app.i18n import N_
from app.profiles.schema import InterviewStage, RoleProfile, StagePlan
from app.rubrics.checks import Problem
from app.rubrics.schema import Criterion, EvidenceKind, Rubric

# Structured interviews cover about 6-12 dimensions (Campion, Palmer & Campion 1997), at
# about 5 minutes each; a stage rated in conversation with more is warned about.
MAX_STAGE_CRITERIA = 12
MINUTES_PER_CRITERION = 5
# Screening is rated mostly from the CV and the application, not in a conversation.
CONVERSATION_STAGES = (InterviewStage.INTERVIEW, InterviewStage.WORK_SAMPLE, InterviewStage.FINAL)
# The evidence a stage produces: a criterion belongs at a stage that gives evidence it accepts
# (the final interview is the second interview, with the references checked by then).
STAGE_EVIDENCE: dict[InterviewStage, frozenset[EvidenceKind]] = {
    InterviewStage.SCREENING: frozenset({EvidenceKind.CV, EvidenceKind.SCREENING}),
    InterviewStage.INTERVIEW: frozenset({EvidenceKind.INTERVIEW}),
    InterviewStage.WORK_SAMPLE: frozenset({EvidenceKind.WORK_SAMPLE}),
    InterviewStage.FINAL: frozenset({EvidenceKind.INTERVIEW, EvidenceKind.REFERENCE}),
}


def check_profile(
    profile: RoleProfile, criteria: Mapping[str, tuple[Rubric, Criterion]]
) -> list[Problem]:
    """Returns what is wrong with the profile, given the criteria it may pick (id -> rubric)."""
    problems: list[Problem] = []
    picked = profile.picked_ids()
    for criterion_id, count in Counter(picked).items():
        if count > 1:
            problems.append(
                Problem(
                    ("criteria", picked.index(criterion_id), "id"),
                    f"{criterion_id!r} is picked twice: keep one",
                )
            )
    for index, pick in enumerate(profile.criteria):
        if pick.id not in criteria:
            problems.append(
                Problem(
                    ("criteria", index, "id"),
                    f"dangling reference: no criterion has the id {pick.id!r}",
                )
            )
    known = [pick for pick in profile.criteria if pick.id in criteria]

    weights = profile.section_weights
    if any(weight < 0 for weight in weights.values()):
        problems.append(Problem(("section_weights",), "a weight cannot be negative"))
    if not any(weight > 0 for weight in weights.values()):
        problems.append(
            Problem(("section_weights",), "every section weighs 0: give at least one a weight")
        )
    for category, weight in weights.items():
        in_category = [
            pick
            for pick in known
            if criteria[pick.id][0].category == category
            and (pick.weight if pick.weight is not None else criteria[pick.id][1].weight) > 0
        ]
        if weight > 0 and not in_category:
            problems.append(
                Problem(
                    ("section_weights", category.value),
                    f"section {category.value!r} weighs {weight:g} but no criterion of it "
                    "with a weight above 0 is picked: pick one or set the weight to 0",
                )
            )
    for pick in known:
        category = criteria[pick.id][0].category
        if category not in weights:
            problems.append(
                Problem(
                    ("criteria", profile.criteria.index(pick), "id"),
                    f"{pick.id!r} belongs to section {category.value!r}, which has no "
                    "weight: add it to section_weights",
                )
            )

    for index, must_have in enumerate(profile.must_haves):
        path = ("must_haves", index)
        if must_have.criterion not in picked:
            problems.append(
                Problem(
                    (*path, "criterion"),
                    f"{must_have.criterion!r} is a must-have but is not picked: pick it",
                )
            )
            continue
        if must_have.criterion in criteria:
            levels = criteria[must_have.criterion][0].scale.levels
            if must_have.min_rating not in levels:
                problems.append(
                    Problem.translatable(
                        (*path, "min_rating"),
                        N_(
                            "%(rating)s is outside the scale of %(criterion)s, "
                            "%(lowest)s to %(highest)s: choose a level from %(lowest)s to "
                            "%(highest)s"
                        ),
                        rating=must_have.min_rating,
                        criterion=must_have.criterion,
                        lowest=levels[0],
                        highest=levels[-1],
                    )
                )

    staged: set[str] = set()
    for s_index, plan in enumerate(profile.stages):
        for c_index, criterion_id in enumerate(plan.criteria):
            staged.add(criterion_id)
            if criterion_id not in picked:
                problems.append(
                    Problem(
                        ("stages", s_index, "criteria", c_index),
                        f"{criterion_id!r} is not picked by the profile: pick it or remove it",
                    )
                )
    for index, criterion_id in enumerate(picked):
        if criterion_id not in staged:
            problems.append(
                Problem(
                    ("criteria", index, "id"),
                    f"{criterion_id!r} is assessed at no stage: add it to a stage",
                )
            )

    experience = profile.experience
    if experience.max_years is not None and experience.max_years < experience.min_years:
        problems.append(Problem(("experience", "max_years"), "max_years is below min_years"))
    terms = profile.terms
    if terms.salary_min and terms.salary_max and terms.salary_max < terms.salary_min:
        problems.append(Problem(("terms", "salary_max"), "salary_max is below salary_min"))
    both = set(profile.platforms.required) & set(profile.platforms.optional)
    if both:
        problems.append(
            Problem(
                ("platforms", "optional"),
                f"{', '.join(sorted(both))} is both required and optional: keep one",
            )
        )
    return problems


def stage_warnings(stages: Iterable[StagePlan]) -> list[Problem]:
    """Returns a warning for each stage rated in conversation with more than 12 criteria:
    a panel cannot rate that many well in one sitting (the profile is saved all the same)."""
    warnings = []
    for index, plan in enumerate(stages):
        count = len(plan.criteria)
        if plan.stage in CONVERSATION_STAGES and count > MAX_STAGE_CRITERIA:
            warnings.append(
                Problem.translatable(
                    ("stages", index, "criteria"),
                    N_(
                        "stage %(stage)s: %(count)s criteria, about %(minutes)s minutes; "
                        "structured interviews cover 6-12: move some to another stage"
                    ),
                    stage=plan.stage.value,
                    count=count,
                    minutes=count * MINUTES_PER_CRITERION,
                )
            )
    return warnings
