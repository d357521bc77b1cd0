"""Walking every URL pattern of the project and requesting it as one user."""

from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from unittest import mock

from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse


@dataclass(frozen=True)
class Route:
    name: str  # "petitions:detail"; "" for an unnamed pattern
    pattern: str  # "petitions/<int:pk>/"
    converters: tuple[tuple[str, str], ...]  # (("pk", "IntConverter"), ...)


def routes(resolver=None, prefix: str = "", namespace: str = ""):
    """Every pattern of every app, with its full name and its converters, depth first."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from routes(entry, pattern, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or ""
            converters = tuple(
                (key, type(converter).__name__)
                for key, converter in entry.pattern.converters.items()
            )
            yield Route(name, pattern, converters)


@dataclass
class Answered:
    method: str
    status: int
    content_type: str
    body: bytes
    location: str


def request(client, url: str) -> Answered:
    """GET the URL, or POST an empty body where the view takes POST only, in a savepoint
    rolled back afterwards, so that what one user does leaves the next user's crawl as it was.
    (What a GET records, such as a document to render, is kept: it is only made once.)"""
    response = client.get(url)
    method = "GET"
    if response.status_code == 405:
        with transaction.atomic():
            response = client.post(url)
            method = "POST"
            transaction.set_rollback(True)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return Answered(
        method,
        response.status_code,
        response.get("Content-Type", ""),
        body,
        response.get("Location", ""),
    )


def url_of(name: str, kwargs: dict) -> str:
    return reverse(name, kwargs=kwargs)


@contextmanager
def documents_drawn_in_one_line():
    """Documents drawn while the user waits (reports, registers, letters, Word copies) come out
    as a one-line stub: for users from whom nothing is hidden, whose access alone is checked,
    and whose reports take seconds to lay out. Documents rendered by the worker and stored
    are left alone: a unit member later reads the same file."""
    from doluong_dialogue import documents
    from doluong_dialogue.documents import pdf, word

    documents.render_pdf, documents.render_docx  # noqa: B018 (cached by the package now)
    pdf_stub = mock.Mock(return_value=b"%PDF-1.7\n% stub\n")
    docx_stub = mock.Mock(return_value=b"PK stub")
    with ExitStack() as stack:
        for module in (documents, pdf):
            stack.enter_context(mock.patch.object(module, "render_pdf", pdf_stub))
        for module in (documents, word):
            stack.enter_context(mock.patch.object(module, "render_docx", docx_stub))
        yield
