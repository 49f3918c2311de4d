"""The API does what its OpenAPI document says, for inputs schemathesis generates from it."""

import schemathesis
from hypothesis import HealthCheck, given, settings

from marketplace.listings.models import ListingKind


def test_api_matches_its_openapi_document(app, make_listing, make_user):
    owner = make_user()
    make_listing(owner=owner, title="Moestuin")
    make_listing(ListingKind.OFFER, owner=owner, title="Ladder", category="klussen")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 14

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def conforms(case):
            # The WSGI transport hands over the bytes as sent, undecoded: ask for them plain
            # (compression has its own tests).
            case.call_and_validate(headers={"Accept-Encoding": "identity"})

        conforms()
