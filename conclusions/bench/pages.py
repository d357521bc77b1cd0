"""The pages the benchmark measures, each with the varied parameters of its requests.

A page is (label, account, URLs): its requests cycle through the URLs. Later pages join by
adding a `Page` to `pages()`.
"""

import random
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from petitions.models import Assignment, Department, Petition, Topic

from .data import DEPARTMENT_NAME

# Words thousands of petitions contain, and words only a few do.
COMMON_TERMS = ["dat", "duong", "nuoc", "de nghi", "san xuat", "xom"]
RARE_TERMS = ["karaoke", "hoang sy yen", "phan quang lan", "do minh thuy"]


@dataclass
class Page:
    label: str
    user: str  # a username of data.USERS
    urls: list[str]
    issue_row: str = ""  # the row of the issue's table it answers


def _list(**params) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{reverse('petitions:list')}?{query}" if query else reverse("petitions:list")


def pages(seed: int = 7) -> list[Page]:
    rng = random.Random(seed)
    topics = list(Topic.objects.values_list("pk", flat=True))
    departments = list(Department.objects.filter(is_active=True).values_list("pk", flat=True))
    kinhte = Department.objects.get(name=DEPARTMENT_NAME).pk
    first = Petition.objects.order_by("pk").values_list("pk", flat=True).first() or 0
    last = Petition.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ids = [rng.randint(first, last) for _ in range(50)]
    received = list(
        Petition.objects.filter(status=Petition.Status.RECEIVED).values_list("pk", flat=True)[:60]
    )
    codes = list(Petition.objects.filter(pk__in=ids[:20]).values_list("code", flat=True))
    sorts = ["", "received_asc", "deadline", "urgency", "code"]
    statuses = ["closed", "assigned", "answered", "open", "to_assign"]
    mine = Assignment.objects.filter(department=kinhte).values_list("pk", flat=True)[:60]

    def three_filters():
        return _list(
            status=rng.choice(["closed", "assigned", "answered"]),
            topic=rng.choice(topics),
            department=rng.choice(departments),
        )

    return [
        Page("list, page 1", "bench_bxd", [_list(sort=s) for s in sorts], "unfiltered list p1"),
        Page(
            "list, deep page (300-500)",
            "bench_bxd",
            [_list(page=rng.randint(300, 500)) for _ in range(20)],
            "unfiltered list p400",
        ),
        Page("list, one status", "bench_bxd", [_list(status=s) for s in statuses]),
        Page(
            "list, three filters",
            "bench_bxd",
            [three_filters() for _ in range(20)],
            "three filters",
        ),
        Page(
            "list, department filter",
            "bench_bxd",
            [_list(department=d) for d in departments],
        ),
        Page(
            "search, common term",
            "bench_bxd",
            [_list(q=t) for t in COMMON_TERMS],
            "search 'dat'",
        ),
        Page(
            "search, rare term or code",
            "bench_bxd",
            [_list(q=t) for t in RARE_TERMS + codes[:4]],
        ),
        Page(
            "search, common term + status",
            "bench_bxd",
            [_list(q=t, status=s) for t in COMMON_TERMS for s in ("closed", "assigned")],
            "search 'dat' + closed",
        ),
        Page(
            "search, common term + topic + department",
            "bench_bxd",
            [
                _list(q=t, topic=rng.choice(topics), department=rng.choice(departments))
                for t in COMMON_TERMS
            ],
        ),
        # The lists the home page's figures open: pages of them, and by lead unit.
        Page(
            "list ?due=overdue",
            "bench_bxd",
            [_list(due="overdue", page=n) for n in (1, 2, 5)]
            + [_list(due="overdue", lead=d) for d in departments[:5]]
            + [_list(due="overdue", sort="deadline")],
            "list ?due=overdue",
        ),
        Page(
            "list ?acknowledgement_overdue",
            "bench_bxd",
            [_list(acknowledgement_overdue="on", page=n) for n in (1, 2, 3)]
            + [_list(acknowledgement_overdue="on", sort="received_asc")],
            "list ?acknowledgement_overdue",
        ),
        Page(
            "acknowledgements owed",
            "bench_bxd",
            [
                reverse("petitions:acknowledgements") + q
                for q in ("", "?overdue=1", "?page=2", "?overdue=1&page=3")
            ],
        ),
        Page(
            "petition detail",
            "bench_bxd",
            [reverse("petitions:detail", args=[pk]) for pk in ids[:50]],
        ),
        Page(
            "classify page",
            "bench_bxd",
            [reverse("petitions:classify", args=[pk]) for pk in received[:50]],
        ),
        Page("department user: list", "bench_kinhte", [_list(sort=s) for s in sorts]),
        Page(
            "department user: search, common term",
            "bench_kinhte",
            [_list(q=t) for t in COMMON_TERMS],
            "department search 'dat'",
        ),
        Page(
            "department inbox (tabs, pages)",
            "bench_kinhte",
            [
                reverse("petitions:inbox") + q
                for q in (
                    "",
                    "?page=2",
                    "?tab=answered",
                    "?tab=answered&page=3",
                    "?due=overdue",
                    "?due=due_soon",
                )
            ],
            "department inbox",
        ),
        Page(
            "assignment page",
            "bench_kinhte",
            [reverse("petitions:assignment", args=[pk]) for pk in mine[:50]],
        ),
        Page("front user: list", "bench_mttq", [_list(sort=s) for s in sorts]),
        *(
            Page(f"home: {name}", user, ["/"], "home pages" if user != "bench_kinhte" else "")
            for name, user in (
                ("Ban Xây dựng Đảng", "bench_bxd"),
                ("Văn phòng Đảng ủy", "bench_vpdu"),
                ("Bí thư", "bench_bithu"),
                ("UBKT", "bench_ubkt"),
                ("Phòng Kinh tế", "bench_kinhte"),
                ("MTTQ", "bench_mttq"),
            )
        ),
        # The Inspection Committee's oversight and the reports (the reminders issue).
        Page(
            "oversight dashboard",
            "bench_ubkt",
            [
                reverse("conclusions:oversight"),
                f"{reverse('conclusions:oversight')}?topic={rng.choice(topics)}",
                f"{reverse('conclusions:oversight')}?start=01/01/2026&end=30/06/2026",
            ],
        ),
        Page(
            "oversight: a unit's overdue items",
            "bench_ubkt",
            [
                f"{reverse('conclusions:oversight_items')}?kind=assignment&unit={unit}"
                f"&bucket={bucket}"
                for unit in departments[:5]
                for bucket in ("1-5", "6-10", "10%2B")
            ],
        ),
        Page(
            "statistics: a month, a year",
            "bench_ubkt",
            [
                f"{reverse('conclusions:reports')}?kind=month&year=2026&number={month}"
                for month in range(1, 12)
            ]
            + [f"{reverse('conclusions:reports')}?kind=year&year=2026"],
        ),
        Page("notifications", "bench_kinhte", [reverse("notifications")]),
    ]
