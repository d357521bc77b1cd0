"""The site as gunicorn serves it, plus the floor view at /bench/floor/ (benchmark only)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doluong_dialogue.settings")

from django.conf import settings
from django.core.wsgi import get_wsgi_application

settings.ROOT_URLCONF = "conclusions.bench.urls"
application = get_wsgi_application()
