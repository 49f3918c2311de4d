"""Demo listings for the demo gemeente: a few dozen initiatives, offers and requests."""

import random
from datetime import timedelta

import sqlalchemy as sa

from marketplace import clock
from marketplace.auth.models import User
from marketplace.extensions import db
from marketplace.geo.models import Buurt
from marketplace.listings import services
from marketplace.listings.categories import category_by_slug, ensure_default_categories
from marketplace.listings.models import Listing, ListingKind, ListingStatus, ResourceKind
from marketplace.notifications.models import Notification

R = ResourceKind
INITIATIVES = [
    ("Moestuin op het Kerkplein", "groen", "We maken van het braakliggende stuk naast de kerk een "
     "buurtmoestuin. Iedereen mag meedoen, ook zonder groene vingers.",
     [(R.VOLUNTEERS, "Handen om te spitten op zaterdag", 8, "personen"),
      (R.MATERIALS, "Plantenbakken of pallets", 12, "stuks"), (R.MONEY, "Zaden en compost", 250, "euro")]),
    ("Straatfeest Molenstraat", "ontmoeten", "Op de laatste zaterdag van juni sluiten we de straat "
     "af voor een feest met muziek, eten en spelletjes voor de kinderen.",
     [(R.VOLUNTEERS, "Hulp bij op- en afbouw", 6, "personen"), (R.MATERIALS, "Partytafels", 10, "stuks"),
      (R.EXPERTISE, "Iemand met een geluidsinstallatie", 1, "persoon")]),
    ("Repair Café in het buurthuis", "duurzaamheid", "Elke eerste zaterdag van de maand repareren we "
     "samen kapotte spullen: fietsen, lampen, kleding en koffiezetapparaten.",
     [(R.EXPERTISE, "Reparateurs voor elektrische apparaten", 3, "personen"),
      (R.SPACE, "Een ruimte op zaterdagochtend", 1, "keer per maand")]),
    ("Speeltuin opknappen", "spelen", "De speeltuin aan de Lindelaan is verouderd. We willen hem samen "
     "met de kinderen en de gemeente opknappen.",
     [(R.VOLUNTEERS, "Ouders die meedenken en meeklussen", 10, "personen"),
      (R.MONEY, "Nieuwe speeltoestellen", 5000, "euro")]),
    ("Buurtkamer voor ouderen", "zorg-en-welzijn", "Een warme plek waar ouderen uit de buurt elke "
     "dinsdag koffie drinken en een spelletje doen.",
     [(R.SPACE, "Ruimte op dinsdagmiddag", 1, "keer per week"),
      (R.VOLUNTEERS, "Gastvrouwen en -heren", 4, "personen")]),
    ("Geveltuintjes in de straat", "groen", "We leggen samen geveltuintjes aan om de straat groener "
     "en koeler te maken.", [(R.MATERIALS, "Tegels eruit, planten erin: plantjes", 40, "stuks"),
                            (R.VOLUNTEERS, "Hulp bij het planten", 5, "personen")]),
    ("Buurtpreventie-app en avondrondes", "veiligheid", "Met een groep bewoners lopen we rondjes en "
     "houden we een buurtpreventie-app bij.", [(R.VOLUNTEERS, "Lopers voor de avondronde", 8, "personen")]),
    ("Filmavond op het plein", "cultuur", "Een openluchtfilm voor de hele buurt op een zomeravond.",
     [(R.MATERIALS, "Beamer en scherm", 1, "set"), (R.VOLUNTEERS, "Hulp met stoelen", 4, "personen")]),
    ("Wandelvoetbal voor 60-plussers", "sport", "Wekelijks wandelvoetbal op het trapveldje.",
     [(R.EXPERTISE, "Een trainer", 1, "persoon"), (R.MATERIALS, "Ballen en hesjes", 10, "stuks")]),
    ("Zwerfafval opruimen", "duurzaamheid", "Elke maand een ochtend samen zwerfafval prikken.",
     [(R.VOLUNTEERS, "Prikkers", 12, "personen"), (R.MATERIALS, "Grijpers en vuilniszakken", 12, "stuks")]),
]
OFFERS = [
    ("Ladder te leen", "klussen", "Een lange ladder (4 m), op te halen in het weekend.", R.MATERIALS, 1, "stuk", "weekenden"),
    ("Twee uur schilderen", "klussen", "Ik help graag met schilderwerk binnen of buiten.", R.VOLUNTEERS, 2, "uur", "zaterdagochtend"),
    ("Boormachine en gereedschap", "klussen", "Complete gereedschapskist om te lenen.", R.MATERIALS, 1, "set", "doordeweeks 's avonds"),
    ("Hulp bij formulieren", "zorg-en-welzijn", "Ik help bij het invullen van formulieren van gemeente en belastingdienst.", R.EXPERTISE, 4, "uur", "dinsdag en donderdag"),
    ("Stekjes en zaden", "groen", "Stekjes van kamerplanten en zaden uit eigen tuin.", R.MATERIALS, 20, "stuks", "hele voorjaar"),
    ("Tuin voor een buurtbarbecue", "ontmoeten", "Onze achtertuin is groot genoeg voor een buurtbarbecue.", R.SPACE, 1, "keer", "in de zomer"),
    ("Fietsreparatie", "duurzaamheid", "Ik repareer lekke banden en remmen.", R.EXPERTISE, 3, "uur", "zaterdag"),
    ("Partytent te leen", "ontmoeten", "Partytent van 3 bij 6 meter.", R.MATERIALS, 1, "stuk", "op afspraak"),
    ("Bijles wiskunde", "zorg-en-welzijn", "Gepensioneerd docent geeft bijles aan scholieren.", R.EXPERTISE, 2, "uur per week", "na schooltijd"),
    ("Aanhanger te leen", "klussen", "Kleine aanhanger voor grofvuil of verhuizingen.", R.MATERIALS, 1, "stuk", "weekenden"),
]
REQUESTS = [
    ("Wie helpt met de verhuizing?", "klussen", "Ik verhuis binnen de buurt en zoek twee sterke handen.", R.VOLUNTEERS, 2, "personen", "zaterdag 14 juni"),
    ("Gezocht: kinderfietsje", "spelen", "Voor mijn dochter van 5 zoek ik een fietsje.", R.MATERIALS, 1, "stuk", None),
    ("Hulp bij boodschappen", "zorg-en-welzijn", "Na een operatie kan ik een paar weken niet zelf boodschappen doen.", R.VOLUNTEERS, 1, "persoon", "komende drie weken"),
    ("Ruimte voor koorrepetitie", "cultuur", "Ons buurtkoor zoekt een ruimte voor de repetitie.", R.SPACE, 1, "keer per week", "woensdagavond"),
    ("Iemand met verstand van computers", "zorg-en-welzijn", "Mijn laptop is traag en ik weet niet waarom.", R.EXPERTISE, 1, "uur", None),
    ("Snoeischaar lenen", "groen", "Voor het snoeien van de heg.", R.MATERIALS, 1, "stuk", "dit weekend"),
    ("Oppas voor de hond", "zorg-en-welzijn", "Wie wil er af en toe met mijn hond wandelen?", R.VOLUNTEERS, 1, "persoon", "doordeweeks"),
    ("Tafels voor een buurtlunch", "ontmoeten", "Voor de buurtlunch zoeken we nog tafels.", R.MATERIALS, 6, "stuks", "eind mei"),
    ("Hulp bij het behangen", "klussen", "Wie kan er behangen en wil een middag helpen?", R.EXPERTISE, 3, "uur", None),
    ("Gezocht: voetbaldoeltjes", "sport", "Voor het trapveldje zoeken we twee kleine doeltjes.", R.MATERIALS, 2, "stuks", None),
]
COPIES = 3  # each example in three buurten: a few dozen of each kind


def _random_point(buurt: Buurt, rng: random.Random) -> tuple[float, float]:
    # Demo buurten are rectangles: any point inside the bbox lies in the buurt.
    margin_lat = (buurt.max_lat - buurt.min_lat) * 0.1
    margin_lon = (buurt.max_lon - buurt.min_lon) * 0.1
    return (rng.uniform(buurt.min_lat + margin_lat, buurt.max_lat - margin_lat),
            rng.uniform(buurt.min_lon + margin_lon, buurt.max_lon - margin_lon))


def seed_demo_listings(owners: list[User], buurten: list[Buurt]) -> int:
    """Create the demo listings once (none are added when demo owners already have some)."""
    if db.session.scalar(sa.select(sa.func.count(Listing.id))
                         .where(Listing.owner_id.in_([o.id for o in owners]))):
        return 0
    ensure_default_categories()
    rng = random.Random(2026)
    days_ahead = random.Random(14)  # apart, so the rest of the demo stays as it was
    created = []

    def post(kind, title, slug, description, resources, buurt, when=None):
        lat, lon = _random_point(buurt, rng)
        data = services.ListingData(
            title=f"{title} ({buurt.name})", description=description,
            category=category_by_slug(slug), lat=lat, lon=lon,
            is_public_space=kind is ListingKind.INITIATIVE and rng.random() < 0.4,
            when_text=when, resources=[services.ResourceData(k, d, q, u) for k, d, q, u in resources])
        if kind is not ListingKind.OFFER and days_ahead.random() < 0.5:
            data.resources[0].needed_by = (clock.local_date(clock.now())
                                           + timedelta(days=days_ahead.randint(3, 45)))
        # Published straight away: the examples are ours, not a new resident's first posts.
        listing = services.create_listing(rng.choice(owners), kind, data, publish=False)
        services.publish(listing)
        listing.created_at = listing.published_at = listing.last_active_at = (
            clock.now() - timedelta(days=rng.randint(0, 60), hours=rng.randint(1, 23)))
        created.append(listing)
        return listing

    # Each example in buurten of its own, named in its title: no two listings look alike.
    for title, slug, description, needs in INITIATIVES:
        for buurt in rng.sample(buurten, COPIES):
            listing = post(ListingKind.INITIATIVE, title, slug, description, needs, buurt)
            if rng.random() < 0.3:
                services.change_status(listing.owner, listing, ListingStatus.RUNNING)
    for title, slug, description, kind, quantity, unit, when in OFFERS:
        for buurt in rng.sample(buurten, COPIES):
            post(ListingKind.OFFER, title, slug, description, [(kind, title, quantity, unit)],
                 buurt, when)
    for title, slug, description, kind, quantity, unit, when in REQUESTS:
        for buurt in rng.sample(buurten, COPIES):
            post(ListingKind.REQUEST, title, slug, description, [(kind, title, quantity, unit)],
                 buurt, when)
    # Seeding is not news: drop the match notifications that publishing the examples caused.
    db.session.execute(sa.delete(Notification).where(
        Notification.listing_id.in_([listing.id for listing in created])))
    db.session.flush()
    return len(created)


def seed_demo_gemeente_work(staff: User, initiatives: list[Listing]) -> None:
    """The demo gemeente answered about half of the initiatives, some late, and pledged help."""
    from marketplace.accountability.models import GemeenteRole, PledgeKind
    from marketplace.accountability.services import close_pledge, make_pledge, set_role
    from marketplace.teams.models import InitiativeOwner, Team

    rng = random.Random(5)
    roles = [GemeenteRole.FACILITATING, GemeenteRole.PARTICIPATING, GemeenteRole.LETTING_GO]
    now = clock.now()
    team = Team(gemeente_id=staff.gemeente_id, name="Team Buurtzaken (demo)", coordinator=staff,
                members=[staff], created_at=now - timedelta(days=90))
    db.session.add(team)
    for listing in initiatives[: len(initiatives) // 2]:
        decision = set_role(staff, listing, rng.choice(roles),
                            "Demo: de gemeente denkt mee, helpt met vergunningen en zoekt samen "
                            "met de bewoners naar ruimte en geld.", "Team Buurtzaken (demo)")
        # Answered 1 to 12 days after publishing, and never later than now: a demo with answers
        # from the future would flatter the public figures.
        waited = min(timedelta(days=rng.randint(1, 12), hours=rng.randint(0, 8)),
                     (now - listing.published_at) * rng.uniform(0.3, 0.9))
        answered = listing.published_at + waited
        decision.created_at = listing.first_answer_at = answered
        db.session.add(InitiativeOwner(listing_id=listing.id, team=team, responsible=staff,
                                       assigned_at=answered))
        if rng.random() < 0.6:
            due = (answered + timedelta(days=rng.randint(7, 40))).date()
            pledge = make_pledge(staff, listing, kind=PledgeKind.BUDGET,
                                 amount=rng.choice([250, 500, 1000]),
                                 description="Demo: bijdrage uit het buurtbudget",
                                 department="Buurtzaken", due_on=max(due, now.date()))
            # Made with the answer; some were due weeks ago: kept, late and overdue pledges.
            pledge.created_at, pledge.due_on = answered, due
            pledge.team, pledge.responsible, pledge.department = team, staff, team.name
            if rng.random() < 0.5:
                close_pledge(staff, pledge, listing, delivered=True, note="Demo: overgemaakt")
                delivered = answered + (now - answered) * rng.uniform(0.2, 1.0)
                pledge.closed_at = delivered
    db.session.flush()
