from django.shortcuts import render
from django.utils import timezone

from doluong_dialogue import workdays
from doluong_dialogue.models import SiteConfiguration
from petitions.permissions import Access


def home(request):
    """Anonymous visitors see the public page; each role sees its own working page."""
    if not request.user.is_authenticated:
        return render(request, "public/home.html")
    access = Access(request.user)
    today = timezone.localdate()
    context = {"today": today, "today_is_working_day": workdays.is_working_day(today)}
    if access.department:
        context["my_departments"] = list(request.user.departments.filter(is_active=True))
    if access.party_building:
        days = SiteConfiguration.load().answer_working_days
        context["answer_working_days"] = days
        context["default_deadline"] = workdays.add_working_days(today, days)
    return render(request, "home.html", context)
