from django.utils.functional import SimpleLazyObject

from doluong_dialogue.models import SiteConfiguration


def site(request):
    # Lazy: pages that never show the deployment's name do not pay its query.
    return {"site_config": SimpleLazyObject(SiteConfiguration.load)}


def notifications(request):
    """The bell's unread count, read (one query) only by a page that shows it."""
    from doluong_dialogue.notifications import unread_count

    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(request.user))}
