from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from conclusions.reminders import reminders_send
from doluong_dialogue import clock


def _day(value: str):
    try:
        return datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError:
        raise CommandError(
            f"Ngày không hợp lệ: “{value}”. Nhập theo dạng ngày/tháng/năm, ví dụ 30/11/2026."
        ) from None


class Command(BaseCommand):
    help = (
        "Send the day's reminders (what each unit has due soon, due today and overdue, and the "
        "escalations), catching up the working days missed since the last run. Safe to run "
        "again: nothing is sent twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day to send them for, dd/mm/yyyy (today).")

    def handle(self, *args, date=None, **options):
        today = clock.today()
        day = _day(date) if date else today
        if abs((day - today).days) > 366:
            raise CommandError(
                f"Ngày {day:%d/%m/%Y} cách hôm nay hơn một năm: hãy kiểm tra lại ngày đã nhập."
            )
        reports = reminders_send(on=day)
        if not reports:
            self.stdout.write(f"{day:%d/%m/%Y} không phải ngày làm việc: không có gì để gửi.")
        for report in reports:
            if report.already_done:
                self.stdout.write(f"{report.day:%d/%m/%Y}: đã gửi trước đó, không gửi lại.")
            else:
                self.stdout.write(
                    f"{report.day:%d/%m/%Y}: nhắc việc {report.units} đơn vị, "
                    f"{report.escalated} nội dung quá hạn báo lên."
                )
