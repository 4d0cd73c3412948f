"""Generated sentences keep what the records say, as precisely as they say it."""

import pytest

from apps.proactive.enums import Approximation
from apps.reports.enums import ReportFormat
from apps.reports.formats import Facts, format_of
from apps.reports.narrative import combined_approximation, proactive_sentences, proposal_sentences

EXACT, MORE, ABOUT, AT_LEAST = "", Approximation.MORE, Approximation.ABOUT, Approximation.AT_LEAST


def generate(section, *, stats, report_format, year, organ_name):
    """A section's text as the format writes it."""
    return format_of(report_format).generate(section, Facts(stats=stats, year=year, organ_name=organ_name))


def _stats(*, channels=None, printed=(), notes=None, proposals=None, handlings=()):
    channels = {"website": 0, "newspaper": 0, "printed": len(printed), **(channels or {})}
    channels["total"] = sum(v for k, v in channels.items() if k != "printed")
    return {
        "channels": channels,
        "printed": {
            "items": [{"title": t, "copies": c} for t, c in printed],
            "total": sum(c for _t, c in printed),
        },
        "proactive_notes": {"counts": {}, "copies": {}, "details": {}, **(notes or {})},
        "proposals": proposals or {},
        "proposal_handlings": list(handlings),
    }


@pytest.mark.parametrize(
    ("parts", "total"),
    [
        ([], EXACT),
        ([EXACT, EXACT], EXACT),
        ([MORE, EXACT], MORE),  # 1500余册 + 1000册 = 2500余册
        ([AT_LEAST, EXACT], AT_LEAST),  # at least the sum
        ([AT_LEAST, MORE], MORE),
        ([MORE, ABOUT], ABOUT),  # may be below the sum: 余 would claim too much
        ([AT_LEAST, ABOUT, EXACT], ABOUT),
    ],
)
def test_a_sum_is_as_approximate_as_its_parts(parts, total):
    assert combined_approximation(parts) == total


def test_printed_copies_keep_their_qualifier_and_their_unit():
    stats = _stats(
        channels={"website": 8},
        printed=[("《招商指南》和《项目册》", 2500)],
        notes={"copies": {"《招商指南》和《项目册》": [MORE]}},
    )
    assert proactive_sentences(stats, year=2018) == (
        "2018年，共主动公开政府信息8条。其中，通过门户网站公开8条。\n印发《招商指南》和《项目册》共2500余册。"
    )


def test_a_total_of_approximate_items_is_approximate():
    stats = _stats(
        channels={"website": 8, "newspaper": 4},
        printed=[("招商指南", 1500), ("项目册", 1000)],
        notes={"counts": {"newspaper": [ABOUT]}, "copies": {"项目册": [AT_LEAST]}},
    )
    assert proactive_sentences(stats, year=2018) == (
        "2018年，共主动公开政府信息约12条。其中，通过门户网站公开8条，通过报纸公开约4条。\n"
        "印发《招商指南》和《项目册》共2500册以上。"
    )


SEED_WEBSITE = "及时更新本单位政府信息公开目录。主动向门户网站报送我局职能、招商动态等信息8条。"
SEED_PRINTED = "面向客商印发《招商指南》和《项目册》2500余册，促进项目签约落地。"


def test_the_free_layout_tells_each_channel_in_the_clerks_words():
    stats = _stats(
        channels={"website": 8, "newspaper": 4},
        printed=[("《招商指南》和《项目册》", 2500)],
        notes={
            "copies": {"《招商指南》和《项目册》": [MORE]},
            "details": {"website": [SEED_WEBSITE], "printed": [SEED_PRINTED]},
        },
    )
    text = generate(
        "proactive", stats=stats, report_format=ReportFormat.PRE_2019, year=2018, organ_name="市经合局"
    )
    assert text == (
        "2018年，共主动公开政府信息12条。"
        "一是及时更新本单位政府信息公开目录。主动向门户网站报送我局职能、招商动态等信息8条；"
        "二是通过报纸公开4条；"  # no sentence of the clerk's: the generated one
        "三是面向客商印发《招商指南》和《项目册》2500余册，促进项目签约落地。"
    )
    # The 2021 format's 总体情况 gives the figures only.
    overall = generate(
        "overall", stats=stats, report_format=ReportFormat.NATIONAL_2021, year=2018, organ_name="x"
    )
    assert SEED_WEBSITE not in overall and "印发《招商指南》和《项目册》共2500余册。" in overall


def test_a_single_point_is_not_numbered_and_several_sentences_of_a_channel_are_kept_in_order():
    stats = _stats(channels={"website": 3}, notes={"details": {"website": ["更新目录", "报送动态3条！"]}})
    assert proactive_sentences(stats, year=2018, details=True) == (
        "2018年，共主动公开政府信息3条。更新目录。报送动态3条。"
    )


def test_the_proposal_sentence_tells_how_it_was_handled_in_the_clerks_words():
    everything = {"total": 1, "answered": 1, "completion_rate": "100.00", "satisfaction_rate": "100.00"}
    stats = _stats(
        proposals={"npc": {"total": 0}, "cppcc": {"total": 1}, "all": everything},
        handlings=["局领导高度重视，当面送交答复文件。"],
    )
    assert generate(
        "proposals", stats=stats, report_format=ReportFormat.PRE_2019, year=2018, organ_name="市经合局"
    ) == (
        "2018年，市经合局承办政协委员提案1件，局领导高度重视，当面送交答复文件，已全部办结，办结率和满意率均为100%。"
    )
    # Without the clerk's words (or in 六、其他需要报告的事项), the figures alone.
    assert proposal_sentences(stats, year=2018, organ_name="市经合局") == (
        "2018年，市经合局承办政协委员提案1件，已全部办结，办结率和满意率均为100%。"
    )
