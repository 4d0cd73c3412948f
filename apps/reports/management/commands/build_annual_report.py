"""Compile (and optionally publish) an organ's annual report and write it as PDF or HTML.

manage.py build_annual_report --organ jhj --year 2018 --format pre2019 --output report.pdf [--publish]
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.organs.models import Organ
from apps.reports import services
from apps.reports.enums import ReportFormat
from apps.reports.models import AnnualReport
from apps.reports.pdf import MissingGlyphError
from apps.reports.rendering import render_standalone_html


class Command(BaseCommand):
    help = "生成政府信息公开工作年度报告（PDF 或 HTML），可选发布。"

    def add_arguments(self, parser):
        parser.add_argument("--organ", required=True, help="机关网址标识 (slug)")
        parser.add_argument("--year", required=True, type=int, help="报告年度, e.g. 2024")
        parser.add_argument("--format", dest="report_format", choices=ReportFormat.values, default=None)
        parser.add_argument("--output", required=True, help="file.pdf or file.html")
        parser.add_argument("--publish", action="store_true", help="publish a new version (runs the checks)")

    def handle(
        self, *args, organ: str, year: int, report_format: str | None, output: str, publish: bool, **opts
    ):
        path = Path(output)
        if path.suffix.lower() not in {".pdf", ".html"}:
            raise CommandError("--output 须以 .pdf 或 .html 结尾。")
        if not path.parent.exists():
            raise CommandError(f"输出目录不存在：{path.parent}")
        if not 2008 <= year <= 2100:
            raise CommandError("--year 须在 2008 至 2100 之间。")
        try:
            the_organ = Organ.objects.get(slug=organ)
        except Organ.DoesNotExist:
            raise CommandError(f"没有网址标识为“{organ}”的机关。") from None
        started = time.perf_counter()
        try:
            report = AnnualReport.objects.filter(organ=the_organ, year=year).first()
            if report is None:
                self.stdout.write(f"创建 {the_organ.name} {year} 年度报告……")
                report = services.report_create(
                    organ=the_organ, year=year, report_format=report_format or ReportFormat.NATIONAL_2021
                )
            else:
                if report_format and report_format != report.format:
                    report = services.report_update(report=report, format=report_format)
                self.stdout.write("刷新统计数据……")
                report = services.report_compile(report=report)
            self.stdout.write(f"  统计完成（{time.perf_counter() - started:.2f} 秒）")
            if publish:
                self.stdout.write("检查并发布……")
                version = services.report_publish(report=report, correction_note="命令行重新发布")
                html, pdf = version.html, version.pdf.read()
                self.stdout.write(f"  已发布第 {version.number} 版，PDF SHA-256 {version.pdf_sha256}")
            else:
                failures = services.report_check(report=report)
                for failure in failures:
                    self.stderr.write(f"  检查未通过：{failure.message}")
                html = services.report_render_html(report=report)
                pdf = None
                if path.suffix.lower() == ".pdf":
                    self.stdout.write("生成 PDF……")
                    pdf = services.report_render_pdf(report=report)
        except services.ReportCheckFailed as exc:
            raise CommandError(
                "检查未通过，未发布：\n" + "\n".join(f"- {f.message}" for f in exc.failures)
            ) from exc
        except (ValidationError, MissingGlyphError) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        if path.suffix.lower() == ".pdf":
            path.write_bytes(pdf)
        else:
            # A standalone page, styles inside, as the portal shows the report.
            path.write_text(
                render_standalone_html(document=html, title=f"{the_organ.name}{report.title}"),
                encoding="utf-8",
            )
        self.stdout.write(self.style.SUCCESS(f"已写入 {path}（共 {time.perf_counter() - started:.2f} 秒）"))
