"""Every outcome and every proactive channel is placed in every report format: in table 3 (its row, or
the row a format merges it into), in the generated sentences, in the charts the format draws and in
the check messages. An Outcome or a Channel added to its app and left out anywhere fails here."""

import re

from django.utils import translation

import pytest

from apps.applications.enums import RESULT_GROUPS, TABLE3_COLUMNS, TABLE3_ROW_CODES, Outcome
from apps.proactive.enums import Channel
from apps.reports.checks import check_not_negative
from apps.reports.enums import ReportFormat
from apps.reports.formats import FORMATS, Chart, Facts, format_of
from apps.reports.rendering import charts_context, render_document
from apps.reports.vocabulary import channel_label, table3_row_label

ALL_FORMATS = pytest.mark.parametrize("report_format", ReportFormat.values)


def _render(report_format, stats):
    return render_document(
        organ_name="牡丹江市统计局",
        year=2024,
        report_format=report_format,
        stats=stats,
        texts={},
        signature="市统计局",
        signed_on="2025年1月",
    )


def _generated_text(report_format, stats) -> str:
    fmt = format_of(report_format)
    facts = Facts(stats=stats, year=2024, organ_name="市统计局")
    return "\n".join(fmt.generate(spec.code, facts) for spec in fmt.narrative_sections())


def _row(n: int) -> dict[str, int]:
    return {**dict.fromkeys(TABLE3_COLUMNS, 0), "natural": n, "total": n}


def _closed_with(outcome) -> dict:
    """Nine applications received: seven closed with ``outcome``, two carried over."""
    table3 = {row: _row(0) for row in TABLE3_ROW_CODES}
    table3.update(new=_row(9), r7=_row(7), carried_out=_row(2))
    table3[Outcome.report_row(outcome)] = _row(7)
    return {"table3": table3}


def test_every_format_value_has_its_format_object_and_its_declarations_hold():
    assert set(FORMATS) == set(ReportFormat.values)
    for code, fmt in FORMATS.items():
        sections = {spec.code for spec in fmt.flat_sections()}
        tables = {spec.table for spec in fmt.flat_sections() if spec.table}
        assert set(fmt.narrative) <= sections, code
        assert bool(fmt.table2) == ("table2" in tables), code
        assert set(fmt.merged_result_groups) <= {group.code for group in RESULT_GROUPS}, code
        assert set(fmt.charts) <= set(Chart), code


@ALL_FORMATS
@pytest.mark.parametrize("outcome", Outcome.values)
def test_every_outcome_is_placed_in_every_format(report_format, outcome):
    fmt = format_of(report_format)
    stats = _closed_with(outcome)
    row = Outcome.report_row(outcome)
    group = next(group for group in RESULT_GROUPS if row in group.row_codes)
    html = _render(report_format, stats)
    if any(spec.table == "table3" for spec in fmt.flat_sections()):
        printed_row = group.code if group.code in fmt.merged_result_groups else row
        cells = re.search(rf'<tr class="row-{printed_row}">(.*?)</tr>', html, re.S).group(1)
        assert re.findall(r"<td>(\d+)</td>", cells) == ["7", "0", "0", "0", "0", "0", "7"]
    # The sentences name its group with its figure ...
    assert f"{group.name}7件" in _generated_text(report_format, stats)
    # ... and so does the chart of the outcomes, in the formats that draw it.
    chart = "".join(charts_context(stats, fmt))
    assert (f">{group.name}</text>" in chart and ">7件</text>" in chart) == (Chart.OUTCOMES in fmt.charts)
    # A check names the row by its label, never by its code.
    stats["table3"][row]["natural"] = -1
    messages = [f.message for f in check_not_negative(stats, report_format)]
    assert f"表三「{table3_row_label(row)}」×「自然人」=-1，不能为负数" in messages
    assert table3_row_label(row) != row


def _published_through(channel) -> dict:
    """Seven items through ``channel`` (700 copies of one title for 印发资料), three on the website."""
    website = 3 if channel != Channel.WEBSITE else 0
    channels = {**dict.fromkeys(Channel.values, 0), Channel.WEBSITE: website}
    if channel == Channel.PRINTED:
        channels[Channel.PRINTED] = 1
        printed = {"items": [{"title": "办事指南", "copies": 700}], "total": 700}
    else:
        channels[channel] = 7
        printed = {"items": [], "total": 0}
    channels["total"] = sum(channels[c] for c in Channel.itemised())
    if channel == Channel.WEBSITE:  # a second channel, so that the chart has two bars
        channels[Channel.NEWSPAPER], channels["total"] = 3, 10
    return {"channels": channels, "printed": printed}


@ALL_FORMATS
@pytest.mark.parametrize("channel", Channel.values)
def test_every_channel_is_placed_in_every_format(report_format, channel):
    fmt = format_of(report_format)
    stats = _published_through(channel)
    label = channel_label(channel)
    text = _generated_text(report_format, stats)
    chart = "".join(charts_context(stats, fmt))
    if channel == Channel.PRINTED:
        # Copies, not items: told in their own sentence, kept out of the chart of items.
        assert "印发《办事指南》" in text and "700册" in text
        assert label not in chart
    else:
        assert f"通过{label}公开7条" in text
        drawn = f">{label}</text>" in chart and ">7条</text>" in chart
        assert drawn == (Chart.CHANNELS in fmt.charts)
    stats["channels"][channel] = -1
    messages = [f.message for f in check_not_negative(stats, report_format)]
    assert f"主动公开「{label}」=-1，不能为负数" in messages


def test_the_report_is_chinese_whatever_the_language_of_the_page():
    stats = _closed_with(Outcome.DISCLOSED) | _published_through(Channel.NEWSPAPER)
    with translation.override("en"):
        html = _render(ReportFormat.NATIONAL_2021, stats)
        text = _generated_text(ReportFormat.NATIONAL_2021, stats)
    for label in ("自然人", "商业企业", "结果维持", "未经复议直接起诉", "行政诉讼", ">报纸</text>"):
        assert label in html, label
    assert "Natural person" not in html and "Upheld" not in html
    assert "通过报纸公开7条" in text and "予以公开7件" in text
