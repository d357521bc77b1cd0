from conclusions.views import conclusion, dossier, followup

app_name = "conclusions"

urlpatterns = conclusion.urlpatterns + followup.urlpatterns + dossier.urlpatterns
