from conclusions.views import conclusion, dossier, followup, oversight, reports, urging

app_name = "conclusions"

urlpatterns = (
    conclusion.urlpatterns
    + followup.urlpatterns
    + dossier.urlpatterns
    + oversight.urlpatterns
    + urging.urlpatterns
    + reports.urlpatterns
)
