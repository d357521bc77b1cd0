"""intake views."""

urlpatterns = []
