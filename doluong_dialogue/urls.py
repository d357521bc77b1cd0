from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from conclusions import home
from doluong_dialogue import views
from doluong_dialogue.forms import LoginForm
from sessions.views.reception import public_schedule

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path("notifications/read/", views.notification_read_all, name="notifications_read_all"),
    path("petitions/", include("petitions.urls")),
    path("sessions/", include("sessions.urls")),
    path("conclusions/", include("conclusions.urls")),
    path("documents/", include("doluong_dialogue.documents.views")),
    # Public pages, no login: issued conclusions, petitions' status, lookup by receipt code,
    # the verification of a signed document by its code,
    path("cong-khai/", include("conclusions.views.public")),
    path("xac-thuc/", include("doluong_dialogue.documents.verify")),
    # The attendees' survey of a session, answered on a phone.
    path("y-kien/", include("sessions.views.survey_public")),
    # The Secretary's citizen reception days, posted publicly (dates, times, places only).
    path("lich-tiep-dan/", public_schedule, name="reception_public"),
    path("admin/", admin.site.urls),
]
