"""How full each page of a report PDF is, read back from the PDF itself (pdftotext -bbox)."""

import re
import subprocess
from pathlib import Path

MM = 72 / 25.4
# The page margins of templates/reports/pdf.css (@page: 37mm top, 30mm bottom).
TOP, BOTTOM = 37 * MM, 30 * MM


def page_fills(pdf: Path) -> list[float]:
    """Per page, where the lowest text of the page body ends, as a share of the body's height
    (0 = empty, 1 = full); the page number below the body does not count."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True)
    fills = []
    for page in out.stdout.split("<page ")[1:]:
        height = float(re.search(r'height="([\d.]+)"', page).group(1))
        bottom = height - BOTTOM
        lows = [float(y) for y in re.findall(r'yMax="([\d.]+)"', page) if float(y) <= bottom]
        fills.append(round((max(lows, default=TOP) - TOP) / (bottom - TOP), 2))
    return fills
