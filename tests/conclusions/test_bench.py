"""`manage.py bench`: it loads its invented data with COPY and measures every page."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from doluong_dialogue import tallies
from petitions.figures import all_petition_figures
from petitions.models import (
    Answer,
    Assignment,
    ExtensionRequest,
    Petition,
    PetitionEvent,
    PetitionExport,
    PetitionUnit,
    SearchKeys,
)
from tests.factories import PetitionFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.usefixtures("reference_data"),
]


def test_bench_refuses_a_database_holding_other_petitions(tmp_path):
    PetitionFactory()
    with pytest.raises(CommandError, match="did not create"):
        call_command("bench", petitions=10, runs=1, output=str(tmp_path), stdout=StringIO())


def test_bench_loads_assignments_in_every_state_and_measures_every_page(tmp_path):
    out = StringIO()
    call_command("bench", petitions=400, runs=5, no_server=True, output=str(tmp_path), stdout=out)
    assert Petition.objects.count() == 400
    assert set(Assignment.objects.values_list("status", flat=True)) == set(Assignment.Status.values)
    assert set(Petition.objects.values_list("status", flat=True)) == set(Petition.Status.values)
    assert Assignment.supporting_departments.through.objects.exists()
    assert Answer.objects.exists() and ExtensionRequest.objects.exists()
    assert PetitionEvent.objects.count() == 400
    # COPY fired no trigger: the home pages' tallies were recounted after the load, the
    # petition-unit rows were written with their assignment's state, and every petition's
    # search keys are what the triggers would have written (the repair finds nothing).
    assert tallies.recount() == []
    assert tallies.repair_copies() == 0
    assert SearchKeys.objects.count() == 400
    assert PetitionUnit.objects.filter(assignment_status__isnull=False).count() > 100
    assert all_petition_figures(on=date.today())["open"] == Petition.objects.open().count()
    # The loaded rows are what the services would have written: searchable words included.
    petition = Petition.objects.order_by("pk")[7]
    stored = (petition.search_text, petition.search_person, petition.intake_fingerprint)
    petition.refresh_search()
    petition.refresh_fingerprint()
    assert stored == (petition.search_text, petition.search_person, petition.intake_fingerprint)
    # Every unit that may see a petition has its row, the submitting organisation's too.
    rows = PetitionUnit.objects.values_list("petition_id", "department_id", "role")
    submitted = Petition.objects.filter(submitted_by_department__isnull=False)
    assert {(p, d) for p, d, role in rows if role == "submitted"} == set(
        submitted.values_list("pk", "submitted_by_department_id")
    )
    assert {(p, d) for p, d, role in rows if role == "lead"} == set(
        Assignment.objects.values_list("petition_id", "department_id")
    )
    assert {(p, d) for p, d, role in rows if role == "supporting"} == set(
        Assignment.supporting_departments.through.objects.values_list(
            "assignment__petition_id", "department_id"
        )
    )

    results = json.loads((tmp_path / "0k.json").read_text())
    labels = {page["label"] for page in results["pages"]}
    for label in ("list, deep page (300-500)", "search, common term", "home: Bí thư"):
        assert label in labels
    for page in results["pages"]:
        assert page["statuses"] == [200], page
        assert page["requests"] == 5
    assert "| search, common term |" in (tmp_path / "0k.md").read_text()
    # The export: the request records it and returns; the worker's build, run in-process,
    # writes every row; the bench removes what it made.
    export = results["export"]
    assert export["request_status"] == 302
    assert export["status"] == "ready" and export["rows"] == 400
    assert export["build_seconds"] > 0
    assert "The Excel export of a long list" in (tmp_path / "0k.md").read_text()
    assert not PetitionExport.objects.exists()
    assert "search, common term" in out.getvalue()

    # A second run reuses the rows.
    call_command(
        "bench",
        petitions=400,
        runs=1,
        only="home",
        no_server=True,
        output=str(tmp_path),
        stdout=out,
    )
    assert Petition.objects.count() == 400
