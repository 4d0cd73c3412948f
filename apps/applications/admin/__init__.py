"""The clerks' back office for applications: lists by urgency, the register, every transition.

The admin never writes an application itself: each form calls the matching service, which
locks the row, checks the version the clerk saw, appends the event and recomputes the due date.
"""

from apps.applications.admin import application

__all__ = ["application"]
