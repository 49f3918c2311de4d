"""The demo gemeente "Buurtstad (demo)" and one account of each role, for trying the platform."""

from dataclasses import dataclass

import sqlalchemy as sa

from marketplace import clock
from marketplace.auth import passwords
from marketplace.auth.models import GEMEENTE_ROLES, Role, User
from marketplace.experiments.demo import seed_demo_learning
from marketplace.extensions import db
from marketplace.geo.importer import import_buurten
from marketplace.geo.models import Buurt, Gemeente, Wijk
from marketplace.listings.demo import seed_demo_gemeente_work, seed_demo_listings
from marketplace.listings.models import Listing, ListingKind
from marketplace.moderation.demo import seed_demo_moderation
from marketplace.notifications.services import silenced

DEMO_GEMEENTE_CODE = "GM9999"  # no real gemeente has this code
DEMO_GEMEENTE_NAME = "Buurtstad (demo)"
WIJKEN = {
    "Centrum": ["Binnenstad", "Stationsbuurt", "Marktkwartier", "Havenbuurt"],
    "Oost": ["Parkwijk", "Molenbuurt", "Bloemenbuurt", "Sportpark"],
    "West": ["Kerkebuurt", "Watertoren", "Lindenhof", "Vogelbuurt"],
}
# A grid of 4 × 3 buurten south-east of the origin, 0.02° wide and 0.01° high each, out in the
# North Sea ~55 km west of IJmuiden (and ~130 km from England): no real buurt lies there, so the
# demo never overlaps a real gemeente and a spot in a real town never lands in the demo.
ORIGIN_LON, ORIGIN_LAT, CELL_LON, CELL_LAT = 3.68, 52.50, 0.02, 0.01


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    password: str
    roles: tuple[Role, ...] = ()  # none: a resident
    newcomer: bool = False  # has not posted yet: their first listings wait for approval


DEMO_ACCOUNTS = [
    DemoAccount("bewoner@demo.buurtmarkt.nl", "Anna (demo)", "appelboom-op-het-plein"),
    DemoAccount("buurman@demo.buurtmarkt.nl", "Bram (demo)", "ladder-te-leen-bij-bram"),
    DemoAccount("nieuw@demo.buurtmarkt.nl", "Noor (demo)", "mijn-eerste-buurtidee",
                newcomer=True),
    DemoAccount("wijkwerker@demo.buurtmarkt.nl", "Wendy (demo)", "koffie-in-het-buurthuis",
                (Role.WIJKWERKER,)),
    DemoAccount("medewerker@demo.buurtmarkt.nl", "Mehmet (demo)", "de-gemeente-faciliteert",
                (Role.STAFF,)),
    DemoAccount("gemeentebeheer@demo.buurtmarkt.nl", "Gijs (demo)", "buurtstad-regelt-het-zelf",
                (Role.GEMEENTE_ADMIN, Role.STAFF)),
    DemoAccount("beheerder@demo.buurtmarkt.nl", "Bea (demo)", "alle-buurten-op-de-kaart",
                (Role.ADMIN,)),
]


def demo_residents(row: int, column: int) -> int:
    """The demo buurt's residents: fixed, different per buurt, between 600 and 3,450."""
    return 600 + ((row * 7 + column * 13) % 20) * 150


def demo_buurten_geojson() -> dict:
    """A CBS-shaped FeatureCollection for the demo gemeente, one wijk a row."""
    features = []
    for row, (wijk_name, buurt_names) in enumerate(WIJKEN.items(), start=1):
        wijk_code = f"WK9999{row:02d}"
        for column, buurt_name in enumerate(buurt_names, start=1):
            west = ORIGIN_LON + (column - 1) * CELL_LON
            north = ORIGIN_LAT - (row - 1) * CELL_LAT
            ring = [[west, north], [west + CELL_LON, north], [west + CELL_LON, north - CELL_LAT],
                    [west, north - CELL_LAT], [west, north]]
            features.append({
                "type": "Feature",
                "properties": {
                    "buurtcode": f"BU9999{row:02d}{column:02d}",
                    "buurtnaam": buurt_name,
                    "wijkcode": wijk_code,
                    "wijknaam": wijk_name,
                    "gemeentecode": DEMO_GEMEENTE_CODE,
                    "gemeentenaam": DEMO_GEMEENTE_NAME,
                    # As the CBS kerncijfers give it: a few hundred to a few thousand each.
                    "aantal_inwoners": demo_residents(row, column),
                },
                "geometry": {"type": "Polygon",
                             "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]},
            })
    return {"type": "FeatureCollection", "features": features}


def _demo_account(account: DemoAccount, gemeente: Gemeente, wijk: Wijk, home: Buurt) -> bool:
    if db.session.scalar(sa.select(User).where(User.email == account.email)) is not None:
        return False
    user = User(email=account.email, display_name=account.name,
                password_hash=passwords.hash_password(account.password), locale="nl",
                email_confirmed_at=clock.now(), home_buurt=home)
    user.roles = account.roles
    if user.roles & GEMEENTE_ROLES:
        user.gemeente = gemeente
    if Role.WIJKWERKER in user.roles:
        user.wijken = [wijk]
    db.session.add(user)
    return True


def seed_demo() -> dict[str, int]:
    """Create (once) the demo gemeente and accounts; running it again changes nothing. The
    demo's history is not news: nobody is notified and no mail is queued."""
    with silenced():
        return _seed_demo()


def _seed_demo() -> dict[str, int]:
    result = import_buurten(demo_buurten_geojson(), mark_demo=True)
    gemeente = db.session.scalar(sa.select(Gemeente).where(Gemeente.code == DEMO_GEMEENTE_CODE))
    centrum = gemeente.wijken[0]
    home = centrum.buurten[0]
    accounts = sum(_demo_account(a, gemeente, centrum, home) for a in DEMO_ACCOUNTS)
    db.session.flush()
    residents = db.session.scalars(sa.select(User).where(User.email.in_(
        [a.email for a in DEMO_ACCOUNTS if not a.roles and not a.newcomer]))
        .order_by(User.id)).all()
    buurten = [buurt for wijk in gemeente.wijken for buurt in wijk.buurten]
    listings = seed_demo_listings(list(residents), buurten)
    if listings:
        staff = db.session.scalar(sa.select(User).where(
            User.email == next(a.email for a in DEMO_ACCOUNTS if a.roles == (Role.STAFF,))))
        initiatives = db.session.scalars(sa.select(Listing).where(
            Listing.gemeente_id == gemeente.id, Listing.kind == ListingKind.INITIATIVE)
            .order_by(Listing.id)).all()
        seed_demo_gemeente_work(staff, list(initiatives))
        seed_demo_learning(staff, list(initiatives))
        newcomer = db.session.scalar(sa.select(User).where(
            User.email == next(a.email for a in DEMO_ACCOUNTS if a.newcomer)))
        seed_demo_moderation(newcomer, list(residents), home)
    return {"buurten": result.created, "accounts": accounts, "listings": listings}
