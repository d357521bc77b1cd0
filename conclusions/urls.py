from conclusions.views import conclusion, followup

app_name = "conclusions"

urlpatterns = conclusion.urlpatterns + followup.urlpatterns
