"""The notification settings form: one choice per kind."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectChoice

from marketplace.notifications.models import Frequency, NotificationKind
from marketplace.notifications.texts import KIND_NAMES

FREQUENCY_LABELS = {
    Frequency.IMMEDIATELY: _l("E-mail at once"),
    Frequency.DAILY: _l("Daily summary"),
    Frequency.OFF: _l("Only in the app"),
}


def push_field(kind: NotificationKind) -> str:
    return f"push_{kind.value}"


def settings_form(current: dict[NotificationKind, Frequency], push: dict[NotificationKind, bool],
                  kinds: list[NotificationKind]) -> FlaskForm:
    """Per kind, a radio group for e-mail and a tick box for push messages, preset to the
    person's current choices."""

    class SettingsForm(FlaskForm):
        pass

    for kind in kinds:
        setattr(SettingsForm, kind.value, RadioField(
            KIND_NAMES[kind], default=current[kind].value,
            choices=[SelectChoice(f.value, label) for f, label in FREQUENCY_LABELS.items()]))
        setattr(SettingsForm, push_field(kind), BooleanField(
            _l("Also as a push message on my devices"), default=push[kind]))
    return SettingsForm()
