"""The statutory holidays computed from 《全国年节及纪念日放假办法》 with lunar-python, checked against
the State Council notices (as typed into the `holidays` package for 2008–2026) and hand-typed dates."""

import datetime as dt

import holidays
import pytest

from apps.workdays.statutory import festival_days, provisional_days_off, statutory_days_off

d = dt.date
ONE_DAY = dt.timedelta(days=1)


def first(year: int, name: str) -> dt.date:
    return next(day for day, label in festival_days(year) if label == name)


@pytest.mark.parametrize(
    ("year", "eve", "qingming", "dragon_boat", "mid_autumn"),
    [
        # As the 国务院办公厅 notices for 2024, 2025 and 2026 gave them.
        (2024, d(2024, 2, 9), d(2024, 4, 4), d(2024, 6, 10), d(2024, 9, 17)),
        (2025, d(2025, 1, 28), d(2025, 4, 4), d(2025, 5, 31), d(2025, 10, 6)),
        (2026, d(2026, 2, 16), d(2026, 4, 5), d(2026, 6, 19), d(2026, 9, 25)),
        # Not yet announced: the lunar calendar's own dates.
        (2027, d(2027, 2, 5), d(2027, 4, 5), d(2027, 6, 9), d(2027, 9, 15)),
        (2028, d(2028, 1, 25), d(2028, 4, 4), d(2028, 5, 28), d(2028, 10, 3)),
    ],
)
def test_lunar_dates_and_qingming_match_the_known_dates(year, eve, qingming, dragon_boat, mid_autumn):
    spring = [day for day, label in festival_days(year) if label == "春节"]
    if year >= 2025:  # 除夕 is a holiday again (国务院令第795号)
        assert spring == [eve, eve + ONE_DAY, eve + 2 * ONE_DAY, eve + 3 * ONE_DAY]
    else:
        assert spring == [eve + ONE_DAY, eve + 2 * ONE_DAY, eve + 3 * ONE_DAY]
    assert first(year, "清明节") == qingming
    assert first(year, "端午节") == dragon_boat
    assert first(year, "中秋节") == mid_autumn


@pytest.mark.parametrize("year", range(2008, 2027))
def test_every_statutory_day_is_the_one_the_notice_named(year):
    """Each version of the 放假办法 (2008, 2014, 2025) against the notices' own day names."""
    official = holidays.China(years=year, language="zh_CN")
    named: dict[str, list[dt.date]] = {}
    for day, label in official.items():
        for part in label.split("; "):
            named.setdefault("春节" if part == "农历除夕" else part, []).append(day)
    computed: dict[str, list[dt.date]] = {}
    for day, name in festival_days(year):
        computed.setdefault(name, []).append(day)
    assert set(computed) == {"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"}
    for name, days in computed.items():
        assert sorted(named[name]) == days, name


@pytest.mark.parametrize("year", range(2008, 2027))
def test_provisional_year_gives_as_many_weekdays_off_as_the_notice(year):
    """第六条 补假 included, the net number of weekdays off (weekdays off minus 调休上班日) of each
    notice is matched, except where a special notice added days or a make-up day crossed New Year."""
    official = holidays.China(years=range(year - 1, year + 2), language="zh_CN")
    days = [d(year, 1, 1) + i * ONE_DAY for i in range(366) if (d(year, 1, 1) + i * ONE_DAY).year == year]
    notice = sum(1 for day in days if day in official and day.isoweekday() < 6) - sum(
        1 for day in official.weekend_workdays if day.year == year
    )
    computed = sum(1 for day in statutory_days_off(year) if day.isoweekday() < 6)
    special = {
        2011: -1,  # 2011-12-31 (Sat) worked for 元旦 2012
        2012: +1,  # so 2012 gets one weekday more
        2015: +1,  # 中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日, 9月3日
        2020: +2,  # 春节 extended to 2月2日, the 2月1日 make-up day cancelled
    }
    assert notice == computed + special.get(year, 0)


def test_2027_provisional_days_with_the_article_6_substitutes():
    days = {item.date: (item.name, item.substitute) for item in provisional_days_off(2027)}
    assert days == {
        d(2027, 1, 1): ("元旦", False),  # Friday
        d(2027, 2, 5): ("春节", False),  # 除夕, Friday
        d(2027, 2, 6): ("春节", False),  # 初一, Saturday: owed
        d(2027, 2, 7): ("春节", False),  # 初二, Sunday: owed
        d(2027, 2, 8): ("春节", False),  # 初三, Monday
        d(2027, 2, 9): ("春节（补假）", True),
        d(2027, 2, 10): ("春节（补假）", True),
        d(2027, 4, 5): ("清明节", False),
        d(2027, 5, 1): ("劳动节", False),  # Saturday
        d(2027, 5, 2): ("劳动节", False),  # Sunday
        d(2027, 5, 3): ("劳动节（补假）", True),
        d(2027, 5, 4): ("劳动节（补假）", True),
        d(2027, 6, 9): ("端午节", False),
        d(2027, 9, 15): ("中秋节", False),
        d(2027, 10, 1): ("国庆节", False),
        d(2027, 10, 2): ("国庆节", False),  # Saturday
        d(2027, 10, 3): ("国庆节", False),  # Sunday
        d(2027, 10, 4): ("国庆节（补假）", True),
        d(2027, 10, 5): ("国庆节（补假）", True),
    }


def test_a_holiday_on_another_holiday_is_owed_a_weekday_too():
    # 2028: 国庆节 10月1日 is a Sunday and 中秋节 falls on 10月3日, a 国庆节 day.
    october = [item for item in provisional_days_off(2028) if item.date.month == 10]
    assert [(item.date.day, item.name) for item in october] == [
        (1, "国庆节"),
        (2, "国庆节"),
        (3, "中秋节、国庆节"),
        (4, "国庆节（补假）"),
        (5, "国庆节（补假）"),
    ]
    # 元旦 on a Saturday: the Monday after, as the notices gave it (e.g. 2022-01-03).
    assert d(2028, 1, 3) in statutory_days_off(2028)
    assert d(2028, 1, 2) not in statutory_days_off(2028)  # an ordinary Sunday


def test_older_versions_of_the_rules():
    assert [day for day, name in festival_days(2010) if name == "春节"] == [
        d(2010, 2, 13),  # 除夕 (国务院令第513号)
        d(2010, 2, 14),
        d(2010, 2, 15),
    ]
    assert [day for day, name in festival_days(2024) if name == "劳动节"] == [d(2024, 5, 1)]
    assert [day for day, name in festival_days(2025) if name == "劳动节"] == [d(2025, 5, 1), d(2025, 5, 2)]
    # Before 2008: 劳动节 three days and no 清明、端午、中秋.
    names_2005 = [name for _day, name in festival_days(2005)]
    assert names_2005.count("劳动节") == 3
    assert "中秋节" not in names_2005
