"""Where a petition came from, as the apps above petitions know it (the dialogue an
organisation forwarded it from, say), shown on its page without petitions knowing those apps:
each registers a source in its AppConfig.ready()."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    label: str
    url: str


# source(user, petition) -> the origins the user may open (one query at most)
_sources: list[Callable] = []


def register_origin(source: Callable) -> None:
    if source not in _sources:
        _sources.append(source)


def origins_of(user, petition) -> list[Origin]:
    return [origin for source in _sources for origin in source(user, petition)]
