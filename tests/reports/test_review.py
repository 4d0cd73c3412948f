"""The annual report is published after review: the 审核人 approves or returns the working copy, the
发布人 publishes it as a version; a correction is edited, reviewed again and published as a new one."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

import pytest

from apps.organs import review
from apps.organs.enums import ReviewState
from apps.reports import services
from tests.factories.records import YearTallyFactory
from tests.factories.reports import AnnualReportFactory, fill_required_sections

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(organ_a):
    YearTallyFactory(organ=organ_a, year=2024)
    return fill_required_sections(AnnualReportFactory(organ=organ_a, year=2024))


def test_a_report_is_published_only_after_review(report, drafter, reviewer, publisher):
    with pytest.raises(ValidationError, match="发布前须经审核人审核通过"):
        services.report_publish(report=report, user=publisher)
    with pytest.raises(PermissionDenied):
        services.report_approve(report=report, actor=drafter)
    services.report_return(report=report, actor=reviewer, opinion="第五部分写得太简略。")
    services.report_update(report=report, actor=drafter, texts={"problems": "本年度问题及改进措施如下。"})
    assert report.review_state == ReviewState.DRAFT
    services.report_approve(report=report, actor=reviewer)
    with pytest.raises(PermissionDenied):
        services.report_publish(report=report, user=reviewer)
    version = services.report_publish(report=report, user=publisher)
    report.refresh_from_db()
    assert (version.number, report.review_state) == (1, ReviewState.PUBLISHED)
    events = list(review.history(report))
    assert [(e.action, e.actor_label) for e in events[-4:]] == [
        ("returned", "shenheren"),
        ("changed", "xinxiyuan"),
        ("approved", "shenheren"),
        ("published", "fabuer"),
    ]
    assert events[-3].changes[0]["new"] == "本年度问题及改进措施如下。"
    assert events[-1].note == "第1版。"


def test_a_correction_is_reviewed_again(report, drafter, reviewer, publisher):
    services.report_approve(report=report, actor=reviewer)
    services.report_publish(report=report, user=publisher)
    services.report_update(report=report, actor=drafter, signature="市经合局（更正）")
    with pytest.raises(ValidationError, match="发布前须经审核人审核通过"):
        services.report_publish(report=report, user=publisher, correction_note="更正落款。")
    services.report_approve(report=report, actor=reviewer)
    version = services.report_publish(report=report, user=publisher, correction_note="更正落款。")
    assert version.number == 2
    assert review.history(report).last().opinion == "更正落款。"


def test_the_system_publishes_and_says_so(report):
    services.report_publish(report=report)
    approved = review.history(report).filter(action="approved").get()
    assert (approved.actor_label, approved.note) == ("系统", "系统发布（命令行或演示数据），未经人工审核。")


def test_the_publisher_publishes_from_the_admin_after_the_review(client, report, reviewer, publisher):
    client.force_login(reviewer)
    review_url = reverse("admin:reports_annualreport_review", args=[report.pk])
    assert client.post(review_url, {"step": "approve", "text": "数据核对无误"}).status_code == 302
    client.force_login(publisher)
    assert client.post(reverse("admin:reports_annualreport_publish", args=[report.pk])).status_code == 302
    assert report.versions.count() == 1
    change = client.get(reverse("admin:reports_annualreport_change", args=[report.pk])).content.decode()
    assert "数据核对无误" in change and 'class="review-history"' in change
