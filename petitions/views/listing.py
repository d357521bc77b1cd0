"""listing views."""

urlpatterns = []
