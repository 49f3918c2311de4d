"""Benchmark: listing text search at national scale (1,000,000 listings), beside the old LIKE.

Fills a fresh database with listings whose Dutch titles and descriptions are made from word lists
(common words far more often than rare ones, as in real text), spread over the Netherlands, at
migration 0011; then upgrades to the head, which builds the search index over them (timed), and
times the search query (public_listings with a text, the first 200 as the API reads them) for
200 searches of 1-3 words, some ending in a started word; and the old LIKE query for a share of
them. Prints p50/p95 per kind of search and the query plan. Nothing is asserted: read the figures.

    .venv/bin/python bench/text_search.py                       # SQLite file under /tmp
    .venv/bin/python bench/text_search.py --database-url postgresql+psycopg://postgres@127.0.0.1/test
    --listings N (default 1,000,000); --keep leaves the PostgreSQL database, --filled URL measures
    an already filled one again (the SQLite file stays under /tmp until removed).
"""

import argparse
import random
import secrets
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

NETHERLANDS = (3.35, 50.75, 7.25, 53.55)  # west, south, east, north
GRID = 36  # 36 × 36 buurten; 6 × 6 of them make a gemeente
BLOCK = 6
RESULTS = 200  # what the API returns by default


def _words(text: str) -> list[str]:
    return text.split()


THINGS = _words("""ladder boormachine tuin moestuin fiets bakfiets grasmaaier heggenschaar kruiwagen
schoffel gereedschap naaimachine partytent tent barbecue beamer geluidsinstallatie verlengsnoer
steiger trap zaag hamer accuboor schuurmachine verf kwast stoelen tafels bankje speelgoed boeken
kleding jassen schoenen kinderwagen box autostoel computer laptop tablet printer telefoon koelkast
wasmachine stofzuiger oven magnetron fornuis pannen servies gitaar piano keyboard microfoon
versterker regenton compostbak bloembakken plantenbak zaden stekjes plantjes aarde potgrond
vogelhuisje insectenhotel nestkastje prikker vuilniszakken handschoenen hogedrukreiniger
aanhanger auto busje karretje dozen verhuisdozen matras bed kast bureau lamp gordijnen""")
ACTIVITIES = _words("""tuinieren klussen schilderen verhuizen koken bakken wandelen fietsen zwemmen
hardlopen dansen zingen breien haken naaien repareren opruimen snoeien oppassen voorlezen
bijles huiswerkbegeleiding taalles computerles fietsles boodschappen hondenuitlaten
gezelschap spelletjes kaarten yoga bewegen sporten voetballen skaten picknicken muziek
fotograferen filmen theater""")
PLACES = _words("""buurthuis speeltuin plein park schoolplein kerk bibliotheek wijkcentrum
sporthal gymzaal moskee kantine werkplaats schuur garage zolder binnentuin hofje dijk haven
markt winkelcentrum stationsplein volkstuin kinderboerderij""")
GROUPS = _words("""buren ouderen kinderen jongeren senioren gezinnen nieuwkomers statushouders
vrijwilligers mantelzorgers studenten scholieren bewoners eenzamen""")
EVENTS = _words("""straatfeest buurtfeest opruimactie rommelmarkt kledingruil repaircafe burendag
koningsdag sinterklaas kerstmarkt paasontbijt iftar buurtbarbecue filmavond spelletjesmiddag
koffieochtend buurtlunch""")
DAYS = _words("maandag dinsdag woensdag donderdag vrijdag zaterdag zondag weekend")

TITLES = [
    "{Thing} te leen", "{Thing} gezocht", "Wie heeft een {thing}?", "Gratis {thing} af te halen",
    "Hulp bij {activity}", "Samen {activity}", "{Activity} met de {group}",
    "{Activity} in het {place}", "{Event} in de buurt", "Vrijwilligers gezocht voor {event}",
    "{Thing} en {thing2} te leen", "Wie wil er {activity}?", "Hulp gezocht: {activity}",
    "{Event} bij het {place}", "Nieuwe {thing} voor het {place}", "{Activity} voor {group}",
]
SENTENCES = [
    "Wij zoeken iemand die kan helpen met {activity}.",
    "Heeft iemand een {thing} die ik {day} mag lenen?",
    "Elke {day} om {hour} uur bij het {place}.",
    "Neem gerust je eigen {thing} mee.",
    "Voor {group} en {group2} uit de buurt.",
    "Het {event} is dit jaar op {day}.",
    "We hebben nog een {thing} en een {thing2} nodig.",
    "Ik kan zelf helpen met {activity} en {activity2}.",
    "Je kunt de {thing} ophalen bij het {place}.",
    "Vorig jaar deden er {count} {group} mee.",
    "Opgeven kan via de buurtapp of bij het {place}.",
    "Er is koffie en thee voor iedereen.",
    "Wie wil er meedoen met {activity}?",
    "Samen maken we de buurt groener en gezelliger.",
]
ALL_WORDS = THINGS + ACTIVITIES + PLACES + GROUPS + EVENTS
# Inflected forms people type: Dutch stemming on PostgreSQL finds the listed forms.
TYPED_FORMS = ["ladders", "tuinen", "fietsen", "boeken", "stoel", "tafel", "kast", "lampen",
               "buurtfeesten", "kinderboerderijen", "vrijwilliger", "oudere", "klus", "tuin"]


class Words:
    """Draws words the way text uses them: the first of each list far more often (Zipf-like)."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def pick(self, words: list[str]) -> str:
        # rank r drawn with probability ~ 1/(r+3): a few words are common, most are rare.
        weights = _weights(len(words))
        return self.rng.choices(words, cum_weights=weights)[0]

    def fill(self, template: str) -> str:
        values = {
            "thing": self.pick(THINGS), "thing2": self.pick(THINGS),
            "activity": self.pick(ACTIVITIES), "activity2": self.pick(ACTIVITIES),
            "place": self.pick(PLACES), "group": self.pick(GROUPS), "group2": self.pick(GROUPS),
            "event": self.pick(EVENTS), "day": self.rng.choice(DAYS),
            "hour": self.rng.randint(9, 20), "count": self.rng.randint(5, 80)}
        values.update({key.capitalize(): str(value).capitalize()
                       for key, value in list(values.items())})
        return template.format(**values)

    def title(self) -> str:
        return self.fill(self.rng.choice(TITLES))[:120]

    def description(self) -> str:
        return " ".join(self.fill(self.rng.choice(SENTENCES))
                        for _ in range(self.rng.randint(2, 5)))


_cumulative: dict[int, list[float]] = {}


def _weights(size: int) -> list[float]:
    if size not in _cumulative:
        total, cumulative = 0.0, []
        for rank in range(size):
            total += 1 / (rank + 3)
            cumulative.append(total)
        _cumulative[size] = cumulative
    return _cumulative[size]


def netherlands_geojson() -> dict:
    west, south, east, north = NETHERLANDS
    width, height = (east - west) / GRID, (north - south) / GRID
    features = []
    for row in range(GRID):
        for column in range(GRID):
            x, y = west + column * width, south + row * height
            ring = [[x, y], [x + width, y], [x + width, y + height], [x, y + height], [x, y]]
            number = 7000 + (row // BLOCK) * (GRID // BLOCK) + column // BLOCK
            wijk = f"WK{number:04d}{row % BLOCK:02d}"
            features.append({"type": "Feature", "properties": {
                "buurtcode": f"{wijk.replace('WK', 'BU')}{column % BLOCK:02d}",
                "buurtnaam": f"Buurt {row}-{column}", "wijkcode": wijk,
                "gemeentecode": f"GM{number:04d}", "gemeentenaam": f"Gemeente {number}"},
                "geometry": {"type": "Polygon", "coordinates": [ring]}})
    return {"type": "FeatureCollection", "features": features}


COLUMNS = ("kind", "status", "title", "description", "category_id", "owner_id", "buurt_id",
           "gemeente_id", "lat", "lon", "public_lat", "public_lon", "is_public_space",
           "blur_seed", "created_at", "updated_at", "published_at", "hidden_at")


def listing_rows(count: int, buurten, categories, owner_id: int):
    """Rows for COLUMNS, newest last, over the last three years."""
    rng = random.Random(1)
    words = Words(rng)
    kinds = ["initiative", "offer", "request"]
    statuses = ["open"] * 6 + ["running"] * 2 + ["realised", "closed"]
    start = datetime.now(UTC) - timedelta(days=3 * 365)
    step = timedelta(days=3 * 365) / count
    for number in range(count):
        buurt_id, gemeente_id, min_lon, min_lat, max_lon, max_lat = rng.choice(buurten)
        lat, lon = rng.uniform(min_lat, max_lat), rng.uniform(min_lon, max_lon)
        status = rng.choice(statuses) if rng.random() > 0.01 else "pending"
        created = start + step * number
        hidden = created if rng.random() < 0.005 else None
        yield (rng.choice(kinds), status, words.title(), words.description(),
               rng.choice(categories), owner_id, buurt_id, gemeente_id, lat, lon, lat + 0.0005,
               lon + 0.0005, False, secrets.token_hex(8), created, created,
               None if status == "pending" else created, hidden)


def fill(database_url: str, listings: int) -> None:
    import sqlalchemy as sa
    from flask_migrate import downgrade, upgrade

    from marketplace import create_app
    from marketplace.auth.models import User
    from marketplace.extensions import db
    from marketplace.geo.importer import import_buurten
    from marketplace.geo.models import Buurt
    from marketplace.listings.models import Category

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": False})
    with app.app_context():
        upgrade()
        import_buurten(netherlands_geojson())
        owner = User(email="bench@example.org", display_name="Bench", password_hash="x")
        db.session.add(owner)
        db.session.commit()
        buurten = db.session.execute(sa.select(
            Buurt.id, sa.text("(SELECT wijk.gemeente_id FROM wijk WHERE wijk.id = buurt.wijk_id)"),
            Buurt.min_lon, Buurt.min_lat, Buurt.max_lon, Buurt.max_lat)).all()
        categories = db.session.scalars(sa.select(Category.id)).all()
        owner_id = owner.id
        db.session.remove()
        # The listings go in before text search exists, as on a site that has them already;
        # the migration then indexes them all at once.
        downgrade(revision="0011")
        rows = listing_rows(listings, buurten, categories, owner_id)
        started = time.perf_counter()
        postgresql = db.engine.dialect.name == "postgresql"
        raw = db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            if postgresql:
                with cursor.copy(f"COPY listing ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                insert = (f"INSERT INTO listing ({', '.join(COLUMNS)}) "
                          f"VALUES ({', '.join('?' * len(COLUMNS))})")
                batch = []
                for row in rows:
                    batch.append(tuple(_sqlite_value(value) for value in row))
                    if len(batch) == 20_000:
                        cursor.executemany(insert, batch)
                        batch = []
                cursor.executemany(insert, batch)
            raw.commit()
        finally:
            raw.close()
        print(f"filled {listings:,} listings in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        upgrade()
        print(f"migrated to the head (builds the text index) in "
              f"{time.perf_counter() - started:.0f} s")
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            # What autovacuum does soon after a bulk load: statistics and the visibility map.
            connection.execute(sa.text("VACUUM ANALYZE" if postgresql else "ANALYZE"))
        db.engine.dispose()


def _sqlite_value(value):
    # SQLAlchemy's own storage format for a timestamp on SQLite.
    return value.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(value, datetime) else value


def searches(count: int, seed: int = 7) -> list[tuple[str, str]]:
    """(kind, text): 1-3 words as people type them, a third ending in a started word."""
    rng = random.Random(seed)
    words = Words(rng)
    result = []
    for _ in range(count):
        size = rng.choice([1, 1, 2, 2, 3])
        chosen = [rng.choice(TYPED_FORMS) if rng.random() < 0.1 else words.pick(ALL_WORDS)
                  for _ in range(size)]
        if rng.random() < 1 / 3:
            last = chosen[-1]
            chosen[-1] = last[:rng.randint(3, max(3, len(last) - 1))]
            kind = "prefix"
        else:
            kind = "1 word" if size == 1 else "2-3 words"
        result.append((kind, " ".join(chosen)))
    return result


def old_like_query(text: str):
    """The query before full-text search: a substring of title or description, newest first."""
    import sqlalchemy as sa

    from marketplace.listings.models import ACTIVE_STATUSES, Listing
    from marketplace.listings.queries import publicly_visible

    pattern = f"%{text.strip().lower()}%"
    return (sa.select(Listing).where(publicly_visible(list(ACTIVE_STATUSES)))
            .where(sa.or_(sa.func.lower(Listing.title).like(pattern),
                          sa.func.lower(Listing.description).like(pattern)))
            .order_by(Listing.created_at.desc(), Listing.id.desc()))


def measure(database_url: str, args) -> None:
    import sqlalchemy as sa

    from marketplace import create_app
    from marketplace.extensions import db
    from marketplace.listings.queries import ListingFilter, public_listings

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": False})
    with app.app_context():
        postgresql = db.engine.dialect.name == "postgresql"
        listings = db.session.scalar(sa.text("SELECT count(*) FROM listing"))
        print(f"\n{listings:,} listings, {'PostgreSQL' if postgresql else 'SQLite'}; "
              f"first {RESULTS} results of each search, timed in the app\n")
        print_plan(public_listings(ListingFilter(text="ladder tui")).limit(RESULTS), postgresql)

        def timed(query) -> tuple[float, int]:
            started = time.perf_counter()
            found = len(db.session.scalars(query.limit(RESULTS)).all())
            elapsed = time.perf_counter() - started
            db.session.expunge_all()
            return elapsed * 1000, found

        for _kind, text in searches(20, seed=8):  # warm up caches and connections
            timed(public_listings(ListingFilter(text=text)))
        results: dict[str, dict[str, list[float]]] = {"full-text": {}, "old LIKE": {}}
        empty = 0
        for number, (kind, text) in enumerate(searches(args.queries)):
            elapsed, found = timed(public_listings(ListingFilter(text=text)))
            results["full-text"].setdefault(kind, []).append(elapsed)
            empty += found == 0
            if number < args.like_queries:
                elapsed, _found = timed(old_like_query(text))
                results["old LIKE"].setdefault(kind, []).append(elapsed)
        print(f"{'query':10} {'searches':12} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        for name, kinds in results.items():
            everything = [t for times in kinds.values() for t in times]
            for kind, times in [*sorted(kinds.items()), ("all", everything)]:
                times = sorted(times)
                p95 = times[max(0, round(len(times) * 0.95) - 1)]
                print(f"{name:10} {kind:12} {len(times):4} {statistics.median(times):8.1f} "
                      f"{p95:8.1f} {times[-1]:8.1f}")
        print(f"\n{empty} of {args.queries} searches found nothing")
        if postgresql:
            print(db.session.scalar(sa.text("SHOW shared_buffers")), "shared_buffers")
        db.engine.dispose()


def print_plan(query, postgresql: bool) -> None:
    from marketplace.extensions import db

    compiled = query.compile(db.engine, compile_kwargs={"render_postcompile": True})
    with db.engine.connect() as connection:
        if postgresql:
            rows = connection.exec_driver_sql(f"EXPLAIN ANALYZE {compiled}", compiled.params)
            plan = [row[0] for row in rows]
        else:
            rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}",
                                              tuple(compiled.params[name]
                                                    for name in compiled.positiontup))
            plan = [row[-1] for row in rows]
    print("plan of a search for “ladder tui”:")
    print("\n".join(f"  {line}" for line in plan), "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL: a fresh database is made beside it")
    parser.add_argument("--listings", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--like-queries", type=int, default=40,
                        help="how many of the searches also run as the old LIKE (it is slow)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the PostgreSQL database and print its URL")
    parser.add_argument("--filled", metavar="URL",
                        help="measure a database an earlier --keep run filled (no filling)")
    args = parser.parse_args()

    if args.filled:
        measure(args.filled, args)
        return
    drop = None
    if args.database_url:
        from bbox_api import own_postgres_database

        url, drop = own_postgres_database(args.database_url)
    else:
        folder = Path(tempfile.mkdtemp(prefix="buurtmarkt-bench-"))
        url = f"sqlite:///{folder / 'text_search.sqlite3'}"
        print(f"SQLite database: {folder / 'text_search.sqlite3'}")
    try:
        fill(url, args.listings)
        measure(url, args)
    finally:
        if drop and not args.keep:
            drop()
        elif drop:
            print(f"kept: --filled {url}")


if __name__ == "__main__":
    main()
