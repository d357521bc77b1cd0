"""Petitions that look like another one, to spot duplicates (accent-insensitive)."""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Q

from petitions.models import Petition
from petitions.search import StoredVector

# Folded words that say nothing about what a petition is about.
STOPWORDS = frozenset(
    """
    de nghi xa cua va cac nhung la co khong duoc cho tai trong ve den tu da dang se nguoi dan
    hien nay viec mot so theo voi tren thi con bi nhieu lam rat can sau truoc khi nen vao ra
    o cung nhu nay do nam thang ngay ho gia dinh ba ong anh chi em cu tri nhan kien phan anh
    """.split()
)
CANDIDATES = 200


@dataclass(frozen=True)
class Similar:
    petition: Petition
    score: float

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def _words(text: str) -> set[str]:
    return {word for word in text.split() if len(word) > 1 and word not in STOPWORDS}


def _signature(petition: Petition) -> set[str]:
    # The summary says what it is about; the start of the content adds the place.
    summary = petition.search_text.split(" ", 1)[-1]  # drop the receipt code
    return _words(summary[:600])


def similar_petitions(
    petition: Petition, *, among=None, limit: int = 5, threshold: float = 0.25
) -> list[Similar]:
    """The most alike other petitions among `among` (a queryset; every petition by default),
    best first, scored by shared meaningful words."""
    words = _signature(petition)
    if not words:
        return []
    # The rarest-looking (longest) words find the candidates; the score uses all of them.
    probes = sorted(words, key=len, reverse=True)[:6]
    among = Petition.objects.all() if among is None else among
    candidates = among.exclude(pk=petition.pk).filter(duplicate_of__isnull=True)
    if connection.vendor == "postgresql":
        query = SearchQuery(" | ".join(probes), search_type="raw", config="simple")
        candidates = candidates.alias(document=StoredVector("search_text_vector")).filter(
            document=query
        )
    else:
        match = Q()
        for word in probes:
            match |= Q(search_text__contains=f" {word}")
        candidates = candidates.filter(match)
    candidates = candidates.select_related("topic", "lead_department").order_by(
        "-received_on", "-id"
    )[:CANDIDATES]
    scored = []
    for candidate in candidates:
        other = _signature(candidate)
        score = len(words & other) / len(words | other) if other else 0.0
        if score >= threshold:
            scored.append(Similar(candidate, score))
    scored.sort(key=lambda item: item.score, reverse=True)
    return scored[:limit]
