"""The conclusions' lists behind the home pages' figures, and the figures themselves: each
figure is counted with the condition of the list its link opens, all in one query."""

from datetime import date

from django.db.models import Count, Q, QuerySet

from conclusions.models import Conclusion, Directive, ProgressReport
from doluong_dialogue.deadlines import due_soon_until

# /conclusions/?show=…
CONCLUSION_CONDITIONS = {
    "drafts": lambda: Q(status=Conclusion.Status.DRAFT),
    "to_sign": lambda: Q(status=Conclusion.Status.SUBMITTED),
    "to_issue": lambda: Q(status=Conclusion.Status.SIGNED),
    "issued": lambda: Q(status=Conclusion.Status.ISSUED),
}


def _to_review() -> Q:
    return Q(
        pk__in=ProgressReport.objects.filter(status=ProgressReport.Status.SUBMITTED).values(
            "directive_id"
        )
    )


# /conclusions/tasks/?show=…, over the directives the user follows
TASK_CONDITIONS = {
    "running": lambda on, soon: Directive.running_condition(),
    "due_soon": lambda on, soon: Directive.due_soon_condition(on, soon),
    "overdue": lambda on, soon: Directive.overdue_condition(on),
    "to_review": lambda on, soon: _to_review(),
    "done": lambda on, soon: Q(status=Directive.Status.DONE),
}


def conclusions_shown(conclusions: QuerySet, show: str) -> QuerySet:
    return conclusions.filter(CONCLUSION_CONDITIONS[show]())


def tasks_shown(directives: QuerySet, show: str, *, on: date) -> QuerySet:
    return directives.filter(TASK_CONDITIONS[show](on, due_soon_until(on)))


def conclusion_figures(conclusions: QuerySet) -> dict[str, int]:
    return conclusions.aggregate(
        **{
            name: Count("pk", filter=condition())
            for name, condition in CONCLUSION_CONDITIONS.items()
        }
    )


def task_figures(directives: QuerySet, *, on: date, soon: date | None = None) -> dict[str, int]:
    """`directives`: those the user follows (permissions.visible_directives(user).followed())."""
    soon = soon or due_soon_until(on)
    return directives.aggregate(
        **{
            name: Count("pk", filter=condition(on, soon))
            for name, condition in TASK_CONDITIONS.items()
        }
    )
