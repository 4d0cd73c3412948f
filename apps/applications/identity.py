"""Identity numbers and the masking of personal data shown outside the applicant's own view."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from django.utils.translation import gettext as _

#: Who may read applicants' identity numbers, contacts and names unmasked in the back office
#: (applications, exports, 行政复议/诉讼 cases).
PERSONAL_DATA_PERMISSION = "applications.view_personal_data"

# GB 11643-1999: weights of the first 17 digits and the check characters for sum % 11.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def resident_id_check_char(first17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def resident_id_error(number: str) -> str | None:
    """A Chinese error message when an 18-digit 居民身份证号码 is malformed, else None."""
    number = number.strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return _("居民身份证号码应为18位，前17位为数字，最后一位为数字或X。")
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return _("居民身份证号码中的出生日期无效。")
    if born < dt.date(1900, 1, 1) or born > timezone.localdate():
        return _("居民身份证号码中的出生日期无效。")
    if resident_id_check_char(number[:17]) != number[17]:
        return _("居民身份证号码校验位不正确，请核对。")
    return None


def may_see_personal_data(user) -> bool:
    return user.has_perm(PERSONAL_DATA_PERMISSION)


def mask_middle(value: str, *, keep_start: int, keep_end: int) -> str:
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[len(value) - keep_end :]


def mask_id_number(value: str) -> str:
    """2301**********1234."""
    return mask_middle(value, keep_start=4, keep_end=4)


def mask_phone(value: str) -> str:
    """138****5678."""
    digits = value.strip()
    return mask_middle(digits, keep_start=3, keep_end=4)


def mask_email(value: str) -> str:
    if "@" not in value:
        return mask_middle(value, keep_start=1, keep_end=0)
    local, domain = value.split("@", 1)
    return f"{local[:1]}***@{domain}"


def mask_address(value: str) -> str:
    """Keep the city part only: 黑龙江省牡丹江市******."""
    if not value:
        return ""
    return value[:6] + "*" * min(6, max(len(value) - 6, 0))


def mask_name(value: str) -> str:
    """张** for people; organisations keep their first characters (张**, 牡丹江****)."""
    if not value:
        return ""
    if len(value) <= 4:
        return value[0] + "*" * (len(value) - 1)
    return value[:3] + "*" * min(len(value) - 3, 6)


def normalise_contact(value: str) -> str:
    """Phones compare by digits only; e-mail addresses case-insensitively."""
    value = (value or "").strip()
    if "@" in value:
        return value.lower()
    return re.sub(r"\D", "", value)
