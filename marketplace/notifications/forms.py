"""The notification settings form: one choice per kind."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice

from marketplace.notifications.models import Frequency, NotificationKind
from marketplace.notifications.texts import KIND_NAMES

FREQUENCY_LABELS = {
    Frequency.IMMEDIATELY: _l("E-mail at once"),
    Frequency.DAILY: _l("Daily summary"),
    Frequency.OFF: _l("Only in the app"),
}


def settings_form(current: dict[NotificationKind, Frequency],
                  kinds: list[NotificationKind]) -> FlaskForm:
    """A form with a radio group per kind, preset to the person's current choices."""

    class SettingsForm(FlaskForm):
        pass

    for kind in kinds:
        setattr(SettingsForm, kind.value, RadioField(
            KIND_NAMES[kind], default=current[kind].value,
            choices=[SelectChoice(f.value, label) for f, label in FREQUENCY_LABELS.items()]))
    return SettingsForm()
