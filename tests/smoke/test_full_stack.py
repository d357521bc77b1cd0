"""The whole product on its production stack, over real HTTP, across two web nodes.

Two gunicorn nodes, a Celery worker (both queues) and beat, PostgreSQL, Redis and an SMTP
sink, all on 127.0.0.1 (tests/smoke/stack.py). One journey crosses the nodes: what is done
on one is seen on the other, and what the worker makes is fetched from the node that did
not ask for it. Each step is printed as it passes; every process is stopped at the end.
"""

from __future__ import annotations

import re
import time
from datetime import date, timedelta

import pytest
import requests

from tests.smoke.forms import form_to
from tests.smoke.stack import DEMO_PASSWORD, running_stack

pytestmark = [pytest.mark.smoke, pytest.mark.postgres, pytest.mark.broker]

READY_WITHIN = 90  # seconds for the worker's PDF to be offered


STARTED = time.monotonic()


def say(line: str) -> None:
    print(f"  smoke [{time.monotonic() - STARTED:5.1f} s]: {line}", flush=True)


def working_day_after(day: date) -> date:
    """`day` or the first working day after it (weekends and public holidays skipped; the
    calendar's table of extra days off is in the stack's database, not read here)."""
    from doluong_dialogue.workdays import public_holidays

    while day.weekday() >= 5 or day in public_holidays(day.year):
        day += timedelta(days=1)
    return day


class User:
    """A browser of one person: a cookie jar, used against either node."""

    def __init__(self, stack, username: str) -> None:
        self.stack = stack
        self.http = requests.Session()
        self.username = username

    def url(self, node: int, path: str) -> str:
        return self.stack.nodes[node] + path

    def get(self, node: int, path: str, **kwargs) -> requests.Response:
        response = self.http.get(self.url(node, path), timeout=30, **kwargs)
        assert response.status_code < 500, f"GET {path}: {response.status_code}"
        return response

    def submit(self, node: int, page: str, action: str, files=None, **changes):
        """Fill the form of `page` that posts to `action` and send it, as a browser does."""
        response = self.get(node, page)
        assert response.status_code == 200, f"GET {page}: {response.status_code}"
        form = form_to(response.text, action, page)
        target = form.action or page
        return self.http.post(
            self.url(node, target),
            data=form.data(**changes),
            files=files,
            headers={"Referer": self.url(node, page)},
            timeout=60,
        ), form

    def log_in(self, node: int) -> None:
        response, _form = self.submit(
            node,
            "/accounts/login/",
            "",
            username=self.username,
            password=DEMO_PASSWORD,
        )
        assert response.status_code == 200 and "/accounts/login/" not in response.url, (
            f"login of {self.username} failed"
        )


def errors(response: requests.Response) -> list[str]:
    """The form errors a page shows, for the assertion's message."""
    found = re.findall(
        r'class="[^"]*(?:invalid-feedback|errorlist|alert-danger)[^"]*"[^>]*>(.*?)</',
        response.text,
        re.S,
    )
    invalid = re.findall(
        r'<[^>]*is-invalid[^>]*name="([^"]+)"|<[^>]*name="([^"]+)"[^>]*is-invalid', response.text
    )
    return [re.sub(r"<[^>]+>|\s+", " ", text).strip() for text in found] + [
        f"invalid: {a or b}" for a, b in invalid
    ]


def poll_pdf(user: User, node: int, path: str) -> bytes:
    deadline = time.monotonic() + READY_WITHIN
    while True:
        response = user.get(node, path)
        if response.status_code == 200 and response.headers["Content-Type"] == "application/pdf":
            return response.content
        assert time.monotonic() < deadline, f"{path} not ready after {READY_WITHIN} s"
        time.sleep(0.5)


def hold_a_session_today(staff: User, node: int) -> str:
    """Plan an ad hoc session for today, announce it (short notice, with the reason), hold
    it, draw up its minutes and finalise them: the worker renders their PDF. Its path."""
    page = "/sessions/new/"
    response, _ = staff.submit(
        node,
        page,
        "",
        kind="ad_hoc",
        title="Đối thoại đột xuất về đèn đường xóm Yên Thịnh",
        held_on=f"{date.today():%d/%m/%Y}",
        pressing_issue="Đèn đường hỏng nhiều ngày, người dân đi lại ban đêm không an toàn.",
        decided_by="Thường trực Đảng ủy",
        location="Nhà văn hóa xóm Yên Thịnh",
        chair="secretary",
    )
    match = re.search(r"/sessions/(\d+)/$", response.url)
    assert match, (response.url, errors(response))
    session = f"/sessions/{match.group(1)}"
    response, _ = staff.submit(
        node,
        f"{session}/announce/",
        "",
        short_notice_reason="Việc cấp bách, Thường trực quyết định họp ngay trong ngày.",
    )
    assert response.url.endswith(f"{session}/"), (response.url, errors(response))
    response, _ = staff.submit(node, f"{session}/", f"{session}/hold/")
    assert response.status_code == 200, errors(response)
    response, _ = staff.submit(node, f"{session}/minutes/", "/minutes/draw-up/")
    assert response.status_code == 200, errors(response)
    response, _ = staff.submit(node, f"{session}/minutes/", "", recorder_name="Lê Thị Thu Hà")
    assert response.status_code == 200, errors(response)
    response, _ = staff.submit(node, f"{session}/minutes/", "/minutes/finalise/")
    assert response.status_code == 200, errors(response)
    return f"{session}/minutes/bien-ban.pdf"


def test_one_journey_across_two_nodes_a_worker_beat_and_an_smtp_sink(tmp_path):
    passed: list[str] = []

    def step(name: str) -> None:
        passed.append(name)
        say(f"step {len(passed)} passed: {name}")

    global STARTED
    started = STARTED = time.monotonic()
    with running_stack(tmp_path, say) as stack:
        A, B = 0, 1
        staff = User(stack, "bxd")
        staff.log_in(A)
        assert staff.get(B, "/petitions/").status_code == 200  # the session is shared
        step("logged in on node A (CSRF), the session is recognised by node B")

        attachment = b"%PDF-1.4\n% don cua cong dan, trang 1\n" + bytes(range(256)) * 40
        page = "/petitions/new/"
        form = form_to(staff.get(A, page).text, "", page)
        response, _ = staff.submit(
            A,
            page,
            "",
            files={"attachments": ("don-kien-nghi.pdf", attachment, "application/pdf")},
            kind="request",
            channel="front",
            summary="Đèn đường xóm Yên Thịnh hỏng nhiều ngày",
            content="Người dân đề nghị sửa đèn đường đoạn qua nhà văn hóa xóm.",
            petitioner_name="Nguyễn Văn Thưởng",
            petitioner_address="Xóm Yên Thịnh",
            topic=form.option("topic", "Giao thông"),
            residential_unit=form.first_option("residential_unit"),
        )
        match = re.search(r"/petitions/(\d+)/$", response.url)
        assert response.status_code == 200 and match, (response.url, errors(response))
        petition = match.group(1)
        detail = staff.get(B, f"/petitions/{petition}/").text
        links = re.findall(r'href="(/petitions/attachments/\d+/)"', detail)
        assert links, "the attachment is not listed"
        step(f"petition {petition} created on node A with an attachment")

        assign_page = f"/petitions/{petition}/assign/"
        form = form_to(staff.get(B, assign_page).text, "", assign_page)
        response, _ = staff.submit(
            B, assign_page, "", department=form.option("department", "Phòng Kinh tế")
        )
        assert response.url.endswith(f"/petitions/{petition}/"), errors(response)
        step("assigned to Phòng Kinh tế on node B")

        downloaded = staff.get(B, links[0])
        assert downloaded.status_code == 200 and downloaded.content == attachment
        assert attachment in stack.bucket.objects().values()
        step("the attachment downloaded from node B, byte for byte, kept in the S3 bucket")

        minutes_pdf = hold_a_session_today(staff, A)
        minutes = poll_pdf(staff, B, minutes_pdf)
        assert minutes.startswith(b"%PDF") and minutes in stack.bucket.objects().values()
        step(
            f"an ad hoc session planned, announced and held on node A, its minutes finalised; "
            f"their PDF made by the worker ({len(minutes)} bytes) fetched from node B"
        )

        secretary = User(stack, "bithu")
        secretary.log_in(A)
        response, _ = secretary.submit(A, "/conclusions/4/", "/conclusions/4/sign/")
        assert response.status_code == 200
        signed = poll_pdf(secretary, B, "/conclusions/4/thong-bao.pdf")
        assert signed.startswith(b"%PDF") and b"/ByteRange" in signed
        assert signed in stack.bucket.objects().values()
        step(f"conclusion signed on node A, the signed PDF ({len(signed)} bytes) from node B")

        day = working_day_after(date.today() + timedelta(days=7))
        out = stack.manage("send_reminders", "--date", f"{day:%d/%m/%Y}")
        stamp = f"{day:%d/%m/%Y}"

        def digests():
            return [subject for subject in stack.mail_subjects() if stamp in subject]

        deadline = time.monotonic() + READY_WITHIN
        while not digests():
            assert time.monotonic() < deadline, f"no reminder of {stamp} in the sink: {out}"
            time.sleep(0.5)
        step(f"reminder sweep for {stamp}: {len(digests())} e-mail(s) in the SMTP sink")
    assert stack.left_behind() == [], "processes left running"
    started_processes = len(stack.services) + 2  # and Redis and the S3 server
    step(f"every process it started stopped ({started_processes}), none left behind")
    say(f"{len(passed)} steps passed in {time.monotonic() - started:.0f} s")
    assert len(passed) == 8
    assert timedelta(seconds=time.monotonic() - started) < timedelta(minutes=5)
