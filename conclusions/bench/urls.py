"""The site's URLs and the floor view, for the benchmark's gunicorn only."""

from django.urls import path

from conclusions.bench.floor import petition_list_floor
from doluong_dialogue.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("bench/floor/", petition_list_floor), *site_urlpatterns]
