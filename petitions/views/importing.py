"""importing views."""

urlpatterns = []
