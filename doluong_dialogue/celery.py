import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doluong_dialogue.settings")

app = Celery("doluong_dialogue")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
