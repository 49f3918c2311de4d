"""What the worker runs by the clock (UTC), in one place. ``flask worker`` runs these; each can
also be run by hand (``flask send-digests``, ``send-reminders``, ``apply-retention``).

Every scheduled job is safe to run twice at once (two workers with the schedule on, or a run by
hand beside it): digests and reminders claim their work with a conditional write first, the
sweep's deliveries claim each message, and retention only deletes.
Delivering queued mail and push messages is scheduled next to its code: every minute,
:func:`marketplace.delivery.services.sweep`.
"""

from huey import crontab

from marketplace import jobs
from marketplace.accountability.answers import send_reminders
from marketplace.delivery import services as delivery  # noqa: F401  (its sweep, and `deliver`)
from marketplace.notifications.services import send_digests
from marketplace.nudges.services import send_nudges
from marketplace.privacy.retention import apply_retention


@jobs.scheduled(crontab(hour="6", minute="0"))  # 07:00 in winter, 08:00 in summer
def daily_digests() -> int:
    return send_digests()


@jobs.scheduled(crontab(hour="6", minute="15"))
def staff_reminders() -> int:
    return send_reminders()


@jobs.scheduled(crontab(hour="6", minute="30"))
def nudges() -> tuple[int, int]:
    return send_nudges()


@jobs.scheduled(crontab(hour="2", minute="30"))
def retention() -> dict[str, int]:
    return apply_retention()
