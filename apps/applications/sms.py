"""Text messages to applicants: the interface an organ implements to plug in its SMS gateway.

settings.SMS_BACKEND names a class (dotted path) whose `send_messages(messages)` sends each
message and returns how many were sent; it raises on failure, and ConnectionError or TimeoutError
count as transient (apps.applications.notifications retries them). An empty SMS_BACKEND turns
text messages off. The default, LoggingBackend, only writes each message to the log, for an organ
that has no gateway yet; LocmemBackend keeps them in `outbox` for the tests.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from apps.applications.identity import mask_phone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmsMessage:
    to: str
    text: str


class BaseSmsBackend:
    """Subclass it for a gateway; the constructor takes no argument (read your own settings)."""

    def send_messages(self, messages: Sequence[SmsMessage]) -> int:
        raise NotImplementedError


class LoggingBackend(BaseSmsBackend):
    def send_messages(self, messages: Sequence[SmsMessage]) -> int:
        for message in messages:
            # The number masked: the log is read by more people than the application.
            logger.info("SMS to %s: %s", mask_phone(message.to), message.text)
        return len(messages)


#: The messages LocmemBackend "sent", like django.core.mail.outbox.
outbox: list[SmsMessage] = []


class LocmemBackend(BaseSmsBackend):
    def send_messages(self, messages: Sequence[SmsMessage]) -> int:
        outbox.extend(messages)
        return len(messages)


def get_backend() -> BaseSmsBackend | None:
    """The configured backend, or None when text messages are off."""
    path = getattr(settings, "SMS_BACKEND", "")
    return import_string(path)() if path else None
