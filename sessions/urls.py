from sessions.views import (
    agenda,
    announcement,
    invitation,
    minutes,
    organisations,
    plan,
    preparation,
    reception,
    record,
    survey,
)
from sessions.views import session as session_views

app_name = "sessions"

urlpatterns = [
    *plan.urlpatterns,
    *session_views.urlpatterns,
    *agenda.urlpatterns,
    *preparation.urlpatterns,
    *invitation.urlpatterns,
    *announcement.urlpatterns,
    *record.urlpatterns,
    *minutes.urlpatterns,
    *survey.urlpatterns,
    *reception.urlpatterns,
    *organisations.urlpatterns,
]
