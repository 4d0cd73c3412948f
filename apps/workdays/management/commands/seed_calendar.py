"""Load the State Council holiday arrangements that the `holidays` package knows.

manage.py seed_calendar                    # 2008 .. last official year, plus the current and next
                                           # year (provisional from the 放假办法 when no notice)
manage.py seed_calendar --years 2026 2027 --estimates
manage.py seed_calendar --years 2026 --replace   # overwrite a year (also an admin's corrections)
"""

from django.core.management.base import BaseCommand, CommandError

from apps.workdays.services import calendar_seed


class Command(BaseCommand):
    help = (
        "从 holidays 软件包导入国务院办公厅公布的节假日安排；当年和下一年尚无通知的，"
        "按《全国年节及纪念日放假办法》写入暂定日历（可重复执行）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--years",
            type=int,
            nargs="+",
            help="年度，默认 2008 年至软件包收录的最后一个公布年度，以及当年和下一年",
        )
        parser.add_argument("--replace", action="store_true", help="覆盖已存在的年度（包括人工修改）")
        parser.add_argument(
            "--estimates",
            action="store_true",
            help="同时写入未公布年度的暂定日历（按放假办法推算，未确认，不含调休上班日）",
        )

    def handle(self, *args, years=None, replace=False, estimates=False, **options):
        if years and any(not 2000 <= year <= 2100 for year in years):
            raise CommandError("年度应在 2000 至 2100 之间。")
        outcome = calendar_seed(years=years, replace=replace, estimates=estimates)
        for label, items in (
            ("新建", outcome.created),
            ("覆盖", outcome.replaced),
            ("跳过（已存在）", outcome.skipped),
        ):
            if items:
                self.stdout.write(f"{label}：{', '.join(str(year) for year in items)}")
        if years and not estimates:
            missing = sorted(set(years) - set(outcome.created + outcome.replaced + outcome.skipped))
            if missing:
                self.stdout.write(
                    self.style.WARNING(
                        f"软件包没有以下年度的国务院办公厅通知，未导入：{', '.join(map(str, missing))}。"
                        "请在后台录入，或使用 --estimates 写入按放假办法推算的暂定日历（未确认）。"
                    )
                )
        self.stdout.write(self.style.SUCCESS("节假日日历已更新。"))
