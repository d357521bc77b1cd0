from celery import shared_task
from django.core.cache import cache


@shared_task(ignore_result=True)
def ping(token: str) -> None:
    """Leaves a mark in the cache: shows that a worker picks up what the app queues."""
    cache.set(f"celery-ping:{token}", "pong", timeout=60)
