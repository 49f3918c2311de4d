"""One way for a view to run a form through a service.

Validate, run the service step, commit; or roll back and put the refusal on the form, so the
page can be shown again with what the person typed and why it was not saved.
"""

from collections.abc import Callable

from flask_wtf import FlaskForm

from marketplace.extensions import db


def saved(form: FlaskForm, step: Callable[[], object],
          refused: type[Exception] | tuple[type[Exception], ...]) -> bool:
    """True when the form was valid and the step's change is committed."""
    if not form.validate_on_submit():
        return False
    try:
        step()
    except refused as refusal:
        db.session.rollback()
        form.form_errors.append(str(refusal))
        return False
    db.session.commit()
    return True
