"""Reading the figures of a page and the length of the list a figure opens."""

from html.parser import HTMLParser


class Figures(HTMLParser):
    """The (href, value) of every element that carries a figure (`data-figure`)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, int]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-figure" in attrs:
            self.found.append((attrs["href"], int(attrs["data-figure"])))


class ListCount(HTMLParser):
    """The length of a list page: its `result-count` element's `data-count`."""

    def __init__(self) -> None:
        super().__init__()
        self.count: int | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("data-testid") == "result-count" and attrs.get("data-count"):
            self.count = int(attrs["data-count"])


def figures_of(html: str) -> list[tuple[str, int]]:
    parser = Figures()
    parser.feed(html)
    return parser.found


def list_length(html: str) -> int:
    parser = ListCount()
    parser.feed(html)
    if parser.count is None:
        return 0  # an empty list shows its empty state, with no count
    return parser.count
