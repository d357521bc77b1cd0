from petitions.permissions import Access


def navigation(request):
    return {"access": Access(request.user) if hasattr(request, "user") else None}
