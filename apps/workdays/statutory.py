"""The statutory holidays of 《全国年节及纪念日放假办法》, computed for any year.

This is the provisional calendar of a year whose 国务院办公厅 notice (部分节假日安排的通知) is not in:
the days off that the 放假办法 itself fixes, and nothing that only the notice decides (the 调休:
which weekend days are worked and which weekdays are given off in exchange).

The lunar dates (除夕, 正月初一, 五月初五, 八月十五) and the 清明 solar term come from `lunar-python`
(pinned in requirements.txt), never from a typed table, so that any year is covered.

Versions of the 放假办法 (全体公民放假的节日, 第二条):

- 国务院令第270号 (1999), years 2000–2007: 新年 1 day, 春节 3 (正月初一至初三), 劳动节 3 (5月1日至3日),
  国庆节 3 (10月1日至3日).
- 国务院令第513号, from 2008: 元旦 1, 春节 3 (农历除夕、正月初一、初二), 清明节 1, 劳动节 1 (5月1日),
  端午节 1, 中秋节 1, 国庆节 3.
- 国务院令第644号, from 2014: 春节 3 (正月初一至初三), the rest unchanged.
- 国务院令第795号, from 2025: 春节 4 (农历除夕、正月初一至初三), 劳动节 2 (5月1日、2日), the rest unchanged.

第六条 (补假) IS applied. "全体公民放假的假日，如果适逢星期六、星期日，应当在工作日补假" is a rule of the
放假办法 itself, not a choice of the yearly notice: every notice grants it, usually folded into its
调休 run. Left out, a provisional year would count one or two working days too many around such a
holiday (2027: 春节 初一、初二 fall on Saturday and Sunday, and so do 劳动节 and 国庆节 10月2日、3日),
and every period crossing it would end too early. The notice only decides WHERE the day off goes;
we put it on the first weekday after the holiday that is not already off (as the notices did
for 元旦 2017 → 1月2日, 2022 → 1月3日, 2023 → 1月2日). A holiday day that coincides with another
holiday (中秋节 on a 国庆节 day, e.g. 2028-10-03) is owed a weekday too, as the notices gave it
(2009, 2020). Checked against the notices of 2008–2026: for every year the net number of weekdays
off (weekdays off minus 调休上班日) equals the number of weekdays off computed here, except where a
special notice added days (2015: 抗战胜利70周年纪念日; 2020: the extended Spring Festival) and
2011/2012 (the 2012 元旦 make-up Saturday fell on 2011-12-31).

What stays provisional: the exact position of the 补假 days and the 调休 (a period ending inside a
holiday run may move by a few days once the notice is entered), hence every count touching such a
year is marked 暂定.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from lunar_python import Lunar, Solar

__all__ = ["StatutoryDay", "festival_days", "provisional_days_off", "statutory_days_off"]

ONE_DAY = dt.timedelta(days=1)

#: Where the rules come from, for the `source` of the days written from them.
SOURCE = "《全国年节及纪念日放假办法》（推算）"

NEW_YEAR = "元旦"
SPRING = "春节"
QINGMING = "清明节"
LABOUR = "劳动节"
DRAGON_BOAT = "端午节"
MID_AUTUMN = "中秋节"
NATIONAL = "国庆节"
SUBSTITUTE_SUFFIX = "（补假）"


@dataclass(frozen=True)
class StatutoryDay:
    date: dt.date
    name: str  # e.g. "春节", "春节（补假）"
    #: 补假: a weekday given off under 第六条 for a holiday that fell on a weekend (or on another
    #: holiday). Not to be confused with a 调休上班日 (a weekend day worked).
    substitute: bool = False


def _solar(solar) -> dt.date:
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


def _lunar_to_solar(year: int, month: int, day: int) -> dt.date:
    """The day of the lunar calendar `year`/`month`/`day` (the lunar year that starts in `year`)."""
    return _solar(Lunar.fromYmd(year, month, day).getSolar())


def _qingming(year: int) -> dt.date:
    """清明 of `year` (Beijing time), the solar term of the 清明节 holiday."""
    # The lunar year that contains 1 March of `year` (its new year is at the latest on 20 February).
    day = _solar(Solar.fromYmd(year, 3, 1).getLunar().getJieQiTable()["清明"])
    if (day.year, day.month) != (year, 4):  # the term table of that lunar year: cannot happen
        raise ValueError(f"清明 of {year} computed as {day}")
    return day


def festival_days(year: int) -> list[tuple[dt.date, str]]:
    """The 全体公民放假的节日 days of `year` under the 放假办法 in force that year, in date order.

    A day on which two holidays fall appears twice (2028-10-03: 国庆节 and 中秋节).
    """
    new_year = _lunar_to_solar(year, 1, 1)  # 正月初一
    eve = new_year - ONE_DAY  # 除夕: the last day of the twelfth month, whether it has 29 or 30 days
    if year >= 2025:  # 国务院令第795号
        spring = [eve, new_year, new_year + ONE_DAY, new_year + 2 * ONE_DAY]
        labour = [dt.date(year, 5, 1), dt.date(year, 5, 2)]
    elif year >= 2014:  # 国务院令第644号
        spring = [new_year, new_year + ONE_DAY, new_year + 2 * ONE_DAY]
        labour = [dt.date(year, 5, 1)]
    elif year >= 2008:  # 国务院令第513号
        spring = [eve, new_year, new_year + ONE_DAY]
        labour = [dt.date(year, 5, 1)]
    else:  # 国务院令第270号
        spring = [new_year, new_year + ONE_DAY, new_year + 2 * ONE_DAY]
        labour = [dt.date(year, 5, 1), dt.date(year, 5, 2), dt.date(year, 5, 3)]
    days = [(dt.date(year, 1, 1), NEW_YEAR)]
    days += [(day, SPRING) for day in spring]
    days += [(day, LABOUR) for day in labour]
    if year >= 2008:
        days += [
            (_qingming(year), QINGMING),
            (_lunar_to_solar(year, 5, 5), DRAGON_BOAT),
            (_lunar_to_solar(year, 8, 15), MID_AUTUMN),
        ]
    days += [(dt.date(year, 10, day), NATIONAL) for day in (1, 2, 3)]
    # Stable order by date: on a shared day the holiday listed first keeps the day itself.
    return sorted(days, key=lambda pair: pair[0])


@lru_cache(maxsize=512)
def provisional_days_off(year: int) -> tuple[StatutoryDay, ...]:
    """The holidays of `year` (weekends included) and the 补假 weekdays of 第六条, by date.

    Pure and cached: the calendar asks for it on every count that reaches a year without data.
    """
    festival = festival_days(year)
    names: dict[dt.date, list[str]] = {}
    owed: list[tuple[dt.date, str]] = []
    for day, name in festival:
        if day.isoweekday() >= 6 or day in names:
            owed.append((day, name))
        names.setdefault(day, []).append(name)
    result = [StatutoryDay(day, "、".join(labels)) for day, labels in names.items()]
    off = set(names)
    for day, name in owed:
        substitute = day + ONE_DAY
        while substitute in off or substitute.isoweekday() >= 6:
            substitute += ONE_DAY
        off.add(substitute)
        result.append(StatutoryDay(substitute, name + SUBSTITUTE_SUFFIX, substitute=True))
    return tuple(sorted(result, key=lambda item: item.date))


@lru_cache(maxsize=512)
def statutory_days_off(year: int) -> frozenset[dt.date]:
    """Just the dates of provisional_days_off(year)."""
    return frozenset(item.date for item in provisional_days_off(year))
