"""What the calendar tells the apps that derive something from it.

`calendar_changed` is sent once a change of the working-day calendar is committed (the services
send it; a save in the admin that writes a year and a dozen of its days sends it once). The
applications app stores due dates computed from the calendar and recomputes them on it.

A signal, although signals are not for business logic here: the import direction goes from
applications to workdays, never back (apps/portal/__init__.py), so the calendar cannot call the
applications' service itself. The receiver is one line that calls that service; nothing else
listens.
"""

from django.dispatch import Signal

calendar_changed = Signal()
