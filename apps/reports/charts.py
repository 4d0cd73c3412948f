"""Charts as inline SVG drawn in Python: no JavaScript, the same markup in the page and the PDF.

Only presentation attributes are used (no style attribute), so the strict CSP of the site holds.
Every chart carries a <title> and <desc> and the numbers as text labels, for screen readers and print.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

FONT = "Noto Sans CJK SC, sans-serif"
BAR = "#9f1d20"  # the red of official documents
BAR_2 = "#3a5f8f"
GRID = "#cccccc"
TEXT = "#222222"


def _svg(width: int, height: int, title: str, desc: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" font-family="{FONT}">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>" + "".join(body) + "</svg>"
    )


def bar_chart(title: str, items: Sequence[tuple[str, int, str]], *, width: int = 560) -> str:
    """Horizontal bars: long Chinese labels stay readable on the left.

    Each item is (label, value, value as printed): the printed value carries its unit and any
    qualifier of the records ("12件", "约8条"), so the chart says what the text says."""
    label_w, bar_h, gap, top = 170, 18, 8, 34
    height = top + len(items) * (bar_h + gap) + 10
    biggest = max([value for _label, value, _text in items] + [1])
    span = width - label_w - 70
    body = [
        f'<text x="0" y="18" font-size="15" font-weight="bold" fill="{TEXT}">{escape(title)}</text>',
    ]
    for index, (label, value, text) in enumerate(items):
        y = top + index * (bar_h + gap)
        length = round(span * value / biggest) if value else 0
        body.append(
            f'<text x="{label_w - 8}" y="{y + 13}" font-size="12" text-anchor="end" fill="{TEXT}">'
            f"{escape(label)}</text>"
        )
        body.append(f'<rect x="{label_w}" y="{y}" width="{length}" height="{bar_h}" fill="{BAR}"/>')
        body.append(
            f'<text x="{label_w + length + 6}" y="{y + 13}" font-size="12" fill="{TEXT}">{escape(text)}</text>'
        )
    desc = "；".join(f"{label}{text}" for label, _value, text in items)
    return _svg(width, height, title, desc, body)


def trend_chart(
    title: str,
    points: Sequence[tuple[int, int, int]],
    *,
    series: tuple[str, str] = ("新收申请", "主动公开"),
    width: int = 560,
) -> str:
    """Grouped vertical bars per year: (year, first series, second series)."""
    # top leaves room for the value above the tallest bar below the legend.
    height, left, bottom, top = 250, 40, 40, 60
    plot_h = height - top - bottom
    biggest = max([max(a, b) for _y, a, b in points] + [1])
    slot = (width - left - 10) / max(len(points), 1)
    bar_w = min(28, slot / 3)
    body = [
        f'<text x="0" y="18" font-size="15" font-weight="bold" fill="{TEXT}">{escape(title)}</text>',
        f'<rect x="{left}" y="26" width="10" height="10" fill="{BAR}"/>',
        f'<text x="{left + 14}" y="35" font-size="12" fill="{TEXT}">{escape(series[0])}</text>',
        f'<rect x="{left + 100}" y="26" width="10" height="10" fill="{BAR_2}"/>',
        f'<text x="{left + 114}" y="35" font-size="12" fill="{TEXT}">{escape(series[1])}</text>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" stroke="{GRID}"/>',
    ]
    for index, (year, first, second) in enumerate(points):
        x = left + index * slot + (slot - 2 * bar_w) / 2
        for offset, value, colour in ((0, first, BAR), (bar_w, second, BAR_2)):
            h = round(plot_h * value / biggest) if value else 0
            y = height - bottom - h
            body.append(
                f'<rect x="{x + offset:.1f}" y="{y}" width="{bar_w:.1f}" height="{h}" fill="{colour}"/>'
            )
            body.append(
                f'<text x="{x + offset + bar_w / 2:.1f}" y="{y - 3}" font-size="10" text-anchor="middle" '
                f'fill="{TEXT}">{value}</text>'
            )
        body.append(
            f'<text x="{x + bar_w:.1f}" y="{height - bottom + 16}" font-size="12" text-anchor="middle" '
            f'fill="{TEXT}">{year}年</text>'
        )
    desc = "；".join(f"{y}年{series[0]}{a}件、{series[1]}{b}条" for y, a, b in points)
    return _svg(width, height, title, desc, body)
