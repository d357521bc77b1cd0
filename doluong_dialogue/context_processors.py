from django.utils.functional import SimpleLazyObject

from doluong_dialogue.models import SiteConfiguration


def site(request):
    # Lazy: pages that never show the deployment's name do not pay its query.
    return {"site_config": SimpleLazyObject(SiteConfiguration.load)}
