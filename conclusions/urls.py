from conclusions.views import conclusion, dossier, followup, oversight, urging

app_name = "conclusions"

urlpatterns = (
    conclusion.urlpatterns
    + followup.urlpatterns
    + dossier.urlpatterns
    + oversight.urlpatterns
    + urging.urlpatterns
)
