"""A gemeente's buurten with what lives in each, counted against values worked out by hand."""

import sqlalchemy as sa

from marketplace.commitments.services import respond
from marketplace.extensions import db
from marketplace.listings.models import ListingKind


def test_the_buurt_index_counts_what_lives_in_each_buurt(client, gemeente, make_listing,
                                                         make_user):
    first = gemeente.wijken[0].buurten[0]
    garden = make_listing(title="Moestuin")  # lands in the first buurt (make_listing's spot)
    assert garden.buurt == first
    make_listing(ListingKind.OFFER, title="Ladder", category="klussen")
    draft = make_listing(title="Concept", publish=False)
    helper = make_user()
    respond(helper, garden.resources[0], 1)
    respond(make_user(), garden.resources[0], 1)
    db.session.commit()
    page = client.get(f"/gemeente/{gemeente.code}/buurten").text
    row = page[page.index(f'/buurt/{first.code}"'):]
    row = row[:row.index("</tr>")]
    cells = [cell.split(">")[-1] for cell in row.split("</td>")[:-1]]
    # wijk, initiatives, offers, requests, helpers, last posted
    assert cells[1:5] == ["1", "1", "0", "2"]
    assert draft.title not in page
    assert "Geen buurt gevonden" not in page
    found = client.get(f"/gemeente/{gemeente.code}/buurten?q={first.name[:4]}").text
    assert first.name in found
    assert "Geen enkele buurt" in client.get(
        f"/gemeente/{gemeente.code}/buurten?q=zzzqqq").text
    assert client.get("/gemeente/GM0000/buurten").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(sa.text("buurt"))) >= 12
