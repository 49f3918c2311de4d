"""Bad input anywhere gives a clear answer, never a server error: odd values thrown at every form
and filter by a resident, a staff member, a wijkwerker and an admin."""

import pytest

from marketplace.auth.models import Role
from tests.conftest import PASSWORD

ODD_VALUES = ["", "abc", "-1", "0", "99999999999", "+99999999999999999999", " 1_000000000000000000",
              "1e309", "nan", "<script>", "x" * 5000, "%00"]


def _requests(listing_id: int, resource_id: int, value: str) -> list[tuple[str, str, dict]]:
    short = value[:200]
    need = {"resources-0-kind": value, "resources-0-quantity": value,
            "resources-0-description": value, "resources-0-unit": value,
            "resources-0-needed_by": value}
    return [
        ("GET", f"/kaart?page={short}&kind={short}&near={short}&radius_km={short}&bbox={short}"
                f"&category={short}&buurt={short}&status={short}&q={short}", {}),
        ("GET", f"/api/v1/listings?limit={short}&bbox={short}&near={short}", {}),
        ("POST", "/nieuw/initiatief", {"title": value, "description": value, "category": value,
                                       "lat": value, "lon": value, "address": value[:300],
                                       "publish": "1", **need}),
        ("POST", f"/l/{listing_id}/bewerken", {"title": value, "lat": value, "save": "1",
                                                "resources-0-id": value, **need}),
        ("POST", f"/l/{listing_id}/reageren/{resource_id}", {"quantity": value, "note": value}),
        ("POST", f"/l/{listing_id}/status", {"status": value}),
        ("POST", f"/l/{listing_id}/gemeente/rol", {"role": value, "explanation": value,
                                                   "contact": value}),
        ("POST", f"/l/{listing_id}/gemeente/toezeggingen", {
            "kind": value, "amount": value, "description": value, "department": value,
            "due_on": value}),
        ("POST", f"/l/{listing_id}/gemeente/antwoord", {"body": value}),
        ("POST", f"/l/{listing_id}/overdragen", {"user_id": value}),
        ("POST", f"/l/{listing_id}/voortgang", {"body": value}),
        ("POST", "/taal", {"language": value, "next": value}),
        ("POST", "/meldingen/gelezen", {"id": value}),
        ("POST", "/meldingen/instellingen", {"message_new": value}),
        ("POST", "/mijn-account/", {"display_name": value, "home_buurt": value, "locale": value}),
        ("POST", "/beheer/gebruikers/1", {"role": value, "gemeente": value, "wijken": value}),
        ("POST", "/beheer/categorieen", {"slug": value, "name_nl": value, "position": value}),
        ("POST", "/beheer/gemeenten/GM9999", {"answer_target_days": value}),
        ("GET", f"/gemeente/GM9999/verantwoording?van={short}&tot={short}&buurt={short}", {}),
        ("POST", "/beheer/gemeenten/GM9999", {"answer_target_days": "5", "flag_threshold": value,
                                               "premoderation_count": value}),
        ("POST", f"/l/{listing_id}/opmerkingen", {"comment-body": value,
                                                  "comment-parent_id": value}),
        ("POST", f"/moderatie/melden/aanbod/{listing_id}", {"reason": value, "note": value}),
        ("GET", f"/moderatie/?doorgezet={short}&page={short}", {}),
        ("GET", f"/moderatie/stil?page={short}&due_page={short}", {}),
        ("POST", f"/moderatie/aanbod/{listing_id}/verbergen", {"verbergen-reason": value}),
        ("POST", f"/moderatie/aanbod/{listing_id}/schorsen", {"schorsen-days": value,
                                                              "schorsen-reason": value}),
        ("POST", f"/moderatie/aanbod/{listing_id}/verplaatsen", {
            "category": value, "buurt": value, "reason": value}),
        ("GET", f"/logboek/?actie={short}&page={short}", {}),
        ("GET", f"/logboek/export.csv?actie={short}", {}),
        ("GET", f"/buurten?buurt={short}&buurt-keuze={short}", {}),
        ("GET", f"/buurten/hier?plek={short}", {}),
        ("GET", f"/gemeenten?q={short}&page={short}", {}),
        ("GET", f"/beheer/gemeenten?q={short}&page={short}", {}),
        ("GET", f"/api/v1/buurten/zoeken?q={short}&gemeente={short}&limit={short}", {}),
        ("GET", f"/api/v1/gemeenten?q={short}&limit={short}", {}),
        ("POST", "/beheer/gebruikers/1", {"roles": "wijkwerker", "gemeente-keuze": value,
                                          "add_buurt": value, "add_buurt-keuze": value,
                                          "buurten": value}),
    ]


@pytest.mark.parametrize("role", [None, Role.STAFF, Role.WIJKWERKER, Role.GEMEENTE_ADMIN,
                                  Role.ADMIN])
def test_odd_values_never_cause_a_server_error(client, auth, make_user, make_listing, gemeente,
                                               role):
    person = make_user(role, gemeente=None if role in (None, Role.ADMIN) else gemeente,
                       wijken=gemeente.wijken if role is Role.WIJKWERKER else [])
    listing = make_listing(owner=person if role is None else None)
    auth.login(person.email, PASSWORD)
    errors = []
    for value in ODD_VALUES:
        for method, url, data in _requests(listing.id, listing.resources[0].id, value):
            with client.open(url, method=method, data=data) as response:
                if response.status_code >= 500:
                    errors.append((method, url[:80], value[:20], response.status_code))
    assert errors == []


def test_page_numbers_beyond_any_list_are_not_found(client, gemeente):
    for url in ("/kaart?page=99999999999999999999", "/moderatie/stil?page=99999999999999999999",
                f"/gemeente/{gemeente.code}/wacht-op-de-gemeente?p=99999999999999999999"):
        assert client.get(url).status_code == 404
    assert client.get("/kaart?page=3").status_code == 200
    assert client.get(f"/gemeente/{gemeente.code}/verantwoording?tot=0001-01-01").status_code == 200
