"""Assisted taking part: a resident without e-mail or smartphone takes part through a wijkwerker
or the gemeente's contact centre ("bel, kom, mail").

The employee registers the resident (with the resident's consent, recorded), then *helps* them:
for a while the site works as that resident, so posting, responding and messages are the same
journeys everyone uses (:mod:`marketplace.assisted.acting`). Updates for the resident are passed
on as letter or SMS text; a take-over code lets the resident later run the account themselves.
"""
