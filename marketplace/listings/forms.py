"""Forms for posting and editing a listing, with its needs, location and photos."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from flask_wtf.i18n import translations
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FloatField,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from marketplace.geo.fields import BuurtField
from marketplace.listings.labels import RESOURCE_LABELS
from marketplace.listings.models import ListingStatus, ResourceKind
from marketplace.listings.photos import MAX_PHOTOS

UNIT_HINTS = {
    ResourceKind.VOLUNTEERS: _l("people"),
    ResourceKind.MATERIALS: _l("pieces"),
    ResourceKind.SPACE: _l("times"),
    ResourceKind.MONEY: _l("euro"),
    ResourceKind.EXPERTISE: _l("hours"),
}


class _TranslatedForm(Form):
    """A sub-form without its own CSRF token that still speaks the person's language."""

    class Meta:
        def get_translations(self, form):
            return translations


class ResourceForm(_TranslatedForm):
    id = HiddenField()
    kind = SelectField(_l("Kind"), choices=[SelectChoice("", _l("(choose)"))] + [
        SelectChoice(kind.value, label) for kind, label in RESOURCE_LABELS.items()])
    description = StringField(_l("What exactly"), validators=[Length(max=200)],
                              render_kw={"placeholder": _l("e.g. people to dig on Saturday")})
    quantity = IntegerField(_l("How many"), validators=[Optional(), NumberRange(min=1, max=100_000)],
                            render_kw={"inputmode": "numeric", "min": 1})
    unit = StringField(_l("Unit"), validators=[Length(max=30)],
                       render_kw={"placeholder": _l("people, pieces, hours, euro")})
    # Needs and requests only: the template leaves it out for offers.
    needed_by = DateField(_l("Needed by (optional)"), validators=[Optional()],
                          description=_l("Shortly before this day you hear whether it is still "
                                         "open."))

    def is_blank(self) -> bool:
        return not (self.kind.data or (self.description.data or "").strip() or self.quantity.data
                    or self.needed_by.data)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.is_blank():
            return valid
        for field in (self.kind, self.description, self.unit):
            if not (field.data or "").strip():
                field.errors.append(_l("Fill this in too."))
                valid = False
        if self.quantity.data is None and not self.quantity.errors:
            self.quantity.errors.append(_l("Fill this in too."))
            valid = False
        return valid


def _id_or_nothing(value):
    """A chosen id, or "" for the "choose one" option (so it is one of the choices)."""
    return "" if value in (None, "") else int(value)


class CheckboxListField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ListingForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(min=4, max=120)],
                        description=_l("Short and clear, like “Vegetable garden on Church Square”."))
    description = TextAreaField(
        _l("Description"), validators=[DataRequired(), Length(min=10, max=5000)],
        description=_l("What is it, for whom, and when? Plain text; links work."),
        render_kw={"rows": 6})
    # No category is chosen for the person: the first option asks for one.
    category = SelectField(_l("Category"), coerce=_id_or_nothing,
                           validators=[InputRequired(message=_l("Choose a category."))])
    when_text = StringField(_l("When"), validators=[Optional(), Length(max=120)],
                            description=_l("For example “Saturday mornings” or “all of May”."))
    lat = FloatField(widget=HiddenInput(), validators=[Optional(), NumberRange(-90, 90)])
    lon = FloatField(widget=HiddenInput(), validators=[Optional(), NumberRange(-180, 180)])
    address = StringField(
        _l("Address or place"), validators=[Length(max=200)],
        description=_l("Type the address, or a postcode and house number, or paste the "
                       "coordinates from a map app (like 52.0907, 5.1214)."),
        render_kw={"autocomplete": "street-address"})
    is_public_space = BooleanField(
        _l("This spot is public space (a square, park or street), show it exactly"),
        description=_l("Otherwise the map shows the spot about 150 m off, to protect your home."))
    resources = FieldList(FormField(ResourceForm), min_entries=1, max_entries=10)
    # The listing this one starts from (listings.copies), kept through the form's round trips.
    copied_from = HiddenField()
    photos = MultipleFileField(
        _l("Photos"), description=_l("Up to %(count)d JPEG, PNG or WebP photos of at most 10 MB. "
                                     "We remove location data from them.", count=MAX_PHOTOS),
        render_kw={"accept": "image/jpeg,image/png,image/webp"})
    remove_photos = CheckboxListField(_l("Remove photos"), coerce=int)
    publish = SubmitField(_l("Publish"))
    save_draft = SubmitField(_l("Save as draft"))
    save = SubmitField(_l("Save changes"))

    def filled_resources(self) -> list[ResourceForm]:
        return [entry.form for entry in self.resources if not entry.form.is_blank()]

    def validate_address(self, field) -> None:
        no_spot = self.lat.data is None or self.lon.data is None
        if no_spot and not (field.data or "").strip():
            raise ValidationError(_l("Choose the spot on the map, or type an address."))

    def validate_photos(self, field) -> None:
        files = [f for f in (field.data or []) if f and f.filename]
        if len(files) > MAX_PHOTOS:
            raise ValidationError(_l("Choose at most %(count)d photos.", count=MAX_PHOTOS))


class StatusForm(FlaskForm):
    status = HiddenField(validators=[DataRequired(), AnyOf([status.value for status in ListingStatus])])


class BuurtFilterForm(FlaskForm):
    """The buurt in the map page's filters (the other filters are shared with the API)."""

    class Meta:
        csrf = False  # a GET search form

    buurt = BuurtField(_l("Buurt"), description=_l("Leave empty for all buurten."))
