"""Short ways to bring a petition to a given state through the services."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from petitions import services
from petitions.models import Petition, Topic
from petitions.search import SEARCH_CAP


def received(actor, **fields) -> Petition:
    data = {
        "summary": "Đường liên xóm xuống cấp",
        "content": "Đường liên xóm từ ngã ba chợ đi xóm Đông Hồ xuống cấp, nhiều ổ gà.",
        "petitioner_name": "Nguyễn Văn Thưởng",
        "petitioner_address": "Xóm Yên Thịnh",
        "channel": Petition.Channel.FRONT,
        "received_on": date(2026, 11, 2),
        **fields,
    }
    return services.petition_receive(data=services.PetitionData(**data), actor=actor)


def classified(actor, **fields) -> Petition:
    petition = received(actor, **fields)
    return services.petition_classify(
        petition=petition,
        actor=actor,
        topic=Topic.objects.get(name="Giao thông, thủy lợi, điện, nước"),
        urgency=Petition.Urgency.NORMAL,
    )


def assigned(actor, department, **fields):
    petition = classified(actor, **fields)
    assignment = services.petition_assign(petition=petition, actor=actor, department=department)
    petition.refresh_from_db()
    return petition, assignment


def matching_sql(run) -> str:
    """The SQL of the query that found a search's matches (their ids, up to the search's
    cap) while `run()` filtered the list."""
    with CaptureQueriesContext(connection) as captured:
        run()
    return next(
        query["sql"]
        for query in captured
        if f"LIMIT {SEARCH_CAP + 1}" in query["sql"] and not query["sql"].startswith("EXPLAIN")
    )


def search_estimate_queries() -> int:
    """Before counting a search, PostgreSQL reads the estimated size of the table of the
    petitions' search keys (one query; an EXPLAIN and their statistics too, for tables of
    DENSE_MIN_ROWS or more: petitions.search, `_search`)."""
    return 1 if connection.vendor == "postgresql" else 0
