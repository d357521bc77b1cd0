"""workflow views."""

urlpatterns = []
