from django.db.models import Count, Min, Q
from django.shortcuts import render
from django.utils import timezone

from doluong_dialogue import workdays
from doluong_dialogue.models import SiteConfiguration
from petitions.deadlines import due_soon_until
from petitions.models import Assignment, ExtensionRequest, Petition
from petitions.permissions import Access

Status = Petition.Status


def _petition_counts(petitions, today) -> dict:
    """What waits at each step, in one query."""
    return petitions.aggregate(
        received=Count("pk", filter=Q(status=Status.RECEIVED)),
        to_assign=Count("pk", filter=Q(status__in=[Status.CLASSIFIED, Status.RETURNED])),
        returned=Count("pk", filter=Q(status=Status.RETURNED)),
        assigned=Count("pk", filter=Q(status=Status.ASSIGNED)),
        to_review=Count("pk", filter=Q(status=Status.ANSWERED)),
        overdue=Count(
            "pk", filter=Q(status__in=[Status.ASSIGNED, Status.ANSWERED], deadline__lt=today)
        ),
        letters_overdue=Count(
            "pk", filter=Q(acknowledgement_due__lt=today, acknowledged_on__isnull=True)
        ),
        open=Count("pk", filter=Q(status__in=Petition.OPEN_STATUSES)),
        closed=Count("pk", filter=Q(status=Status.CLOSED)),
    )


def _overdue_by_department(today) -> list[dict]:
    return list(
        Assignment.objects.overdue(today)
        .values("department_id", "department__name")
        .annotate(count=Count("pk"), oldest=Min("deadline"))
        .order_by("-count", "oldest")
    )


def _department_counts(department_ids, today) -> dict:
    soon = due_soon_until(today)
    return Assignment.objects.filter(
        department__in=department_ids, status=Assignment.Status.OPEN
    ).aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=Q(deadline__lt=today)),
        due_soon=Count("pk", filter=Q(deadline__gte=today, deadline__lte=soon)),
    )


def home(request):
    """Anonymous visitors see the public page; each role sees its own working page."""
    if not request.user.is_authenticated:
        return render(request, "public/home.html")
    user = request.user
    access = Access(user)
    today = timezone.localdate()
    context = {"today": today, "today_is_working_day": workdays.is_working_day(today)}
    if access.read_all:
        context["counts"] = _petition_counts(Petition.objects.all(), today)
        context["pending_extensions"] = ExtensionRequest.objects.filter(
            status=ExtensionRequest.Status.PENDING
        ).count()
    if access.inspection or access.secretary:
        context["overdue_by_department"] = _overdue_by_department(today)
    if access.department:
        context["my_departments"] = departments = list(user.departments.filter(is_active=True))
        context["department_counts"] = _department_counts([d.pk for d in departments], today)
    if access.front:
        context["front_counts"] = _petition_counts(Petition.objects.visible_to(user), today)
    if access.party_building:
        days = SiteConfiguration.load().answer_working_days
        context["answer_working_days"] = days
        context["default_deadline"] = workdays.add_working_days(today, days)
    return render(request, "home.html", context)
