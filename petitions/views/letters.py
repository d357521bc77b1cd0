"""letters views."""

urlpatterns = []
