"""Every model, imported in one place so Alembic and the app see the whole schema."""

from marketplace.auth.models import Role, User, wijkwerker_buurt, wijkwerker_wijk
from marketplace.geo.models import Buurt, Gemeente, Wijk

__all__ = ["Buurt", "Gemeente", "Role", "User", "Wijk", "wijkwerker_buurt", "wijkwerker_wijk"]
