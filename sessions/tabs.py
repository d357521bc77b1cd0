"""Parts of a session that the apps above add to its pages' tabs (the conclusion, say),
without the sessions app knowing them: each registers a tab in its AppConfig.ready()."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Tab:
    label: str
    url_name: str  # reversed with the session's pk
    shown: Callable  # shown(user, session) -> bool
    current: tuple[str, ...] = ()  # the url names (namespace:name) that make it the current tab


_tabs: dict[str, Tab] = {}


def register_tab(tab: Tab) -> None:
    _tabs[tab.url_name] = tab


def tabs_for(user, session) -> list[Tab]:
    return [tab for tab in _tabs.values() if tab.shown(user, session)]
