from petitions.views import exports, importing, intake, letters, listing, workflow

app_name = "petitions"

# Each area keeps its routes beside its views.
urlpatterns = [
    *listing.urlpatterns,
    *exports.urlpatterns,
    *intake.urlpatterns,
    *importing.urlpatterns,
    *letters.urlpatterns,
    *workflow.urlpatterns,
]
