"""Who may open each route: anonymous, residents, the wijkwerker of the listings' buurt and one of
another area, staff of this and another gemeente, the gemeente admin (functioneel beheerder) of
this and another gemeente, a person who is both wijkwerker and staff here, and an admin of the
installation. Every route of the app must be listed here."""

from datetime import date, timedelta

import pytest

from marketplace.auth.models import Role
from marketplace.extensions import db

ROLES = ["anonymous", "resident", "other_resident", "wijkwerker_here", "wijkwerker_elsewhere",
         "staff_elsewhere", "staff_here", "gemeente_admin_here", "gemeente_admin_elsewhere",
         "wijkwerker_and_staff_here", "admin"]
LOGIN = "login"  # a redirect to the log-in page


def moderators_here(expected) -> dict:
    """The people of this gemeente who moderate the listings' buurt (besides the admin)."""
    return dict.fromkeys(("wijkwerker_here", "gemeente_admin_here", "wijkwerker_and_staff_here"),
                         expected)


def staff_here(expected) -> dict:
    """The people who act for this gemeente: its staff, also when they are wijkwerker too."""
    return dict.fromkeys(("staff_here", "wijkwerker_and_staff_here"), expected)


def gemeente_admins(expected) -> dict:
    return dict.fromkeys(("gemeente_admin_here", "gemeente_admin_elsewhere"), expected)


def helpers_here(expected) -> dict:
    """The people who help this gemeente's residents without e-mail: everyone working for it."""
    return dict.fromkeys(("wijkwerker_here", "staff_here", "gemeente_admin_here",
                          "wijkwerker_and_staff_here"), expected)


def helpers_elsewhere(expected) -> dict:
    return dict.fromkeys(("wijkwerker_elsewhere", "staff_elsewhere", "gemeente_admin_elsewhere"),
                         expected)


# endpoint: (method, url, {role: expected status or LOGIN}); "*" is every role not named.
MATRIX = {
    "main.home": ("GET", "/", {"*": 200}),
    "privacy.statement": ("GET", "/privacy", {"*": 200}),
    "privacy.my_data": ("GET", "/mijn-account/gegevens", {"anonymous": LOGIN, "*": 200}),
    "privacy.download": ("GET", "/mijn-account/gegevens/buurtmarkt.zip",
                         {"anonymous": LOGIN, "*": 200}),
    "privacy.delete_own_account": ("GET", "/mijn-account/verwijderen",
                                   {"anonymous": LOGIN, "*": 200}),
    "privacy.delete_own_account:post": ("POST", "/mijn-account/verwijderen",
                                        {"anonymous": LOGIN, "*": 400}),
    "privacy.download_for": ("GET", "/beheer/gebruikers/{resident_id}/gegevens.zip",
                             {"anonymous": LOGIN, "admin": 200, "*": 403}),
    "privacy.delete_user": ("GET", "/beheer/gebruikers/{resident_id}/verwijderen",
                            {"anonymous": LOGIN, "admin": 200, "*": 403}),
    "privacy.delete_user:post": ("POST", "/beheer/gebruikers/{resident_id}/verwijderen",
                                 {"anonymous": LOGIN, "admin": 400, "*": 403}),
    "main.set_language": ("POST", "/taal", {"*": 302}),
    "main.healthz": ("GET", "/healthz", {"*": 200}),
    "main.favicon": ("GET", "/favicon.ico", {"*": 301}),
    "pwa.manifest": ("GET", "/manifest.webmanifest", {"*": 200}),
    "pwa.service_worker": ("GET", "/sw.js", {"*": 200}),
    "pwa.offline": ("GET", "/offline", {"*": 200}),
    # A made-up link: the page asks, the post says the link is not valid.
    "notifications.unsubscribe": ("GET", "/meldingen/afmelden/verzonnen", {"*": 200}),
    "notifications.unsubscribe:post": ("POST", "/meldingen/afmelden/verzonnen", {"*": 400}),
    # Helping residents without e-mail: the gemeente's own people, for its own residents (a
    # resident of another gemeente is not found); the installation's admins are no front desk.
    "assisted.index": ("GET", "/hulp", {"anonymous": LOGIN, **helpers_here(200),
                                        **helpers_elsewhere(200), "*": 403}),
    "assisted.new": ("GET", "/hulp/nieuw", {"anonymous": LOGIN, **helpers_here(200),
                                            **helpers_elsewhere(200), "*": 403}),
    "assisted.new:post": ("POST", "/hulp/nieuw", {"anonymous": LOGIN, **helpers_here(400),
                                                  **helpers_elsewhere(400), "*": 403}),
    "assisted.person": ("GET", "/hulp/{assisted}", {"anonymous": LOGIN, **helpers_here(200),
                                                    **helpers_elsewhere(404), "*": 403}),
    "assisted.letter": ("GET", "/hulp/{assisted}/brief",
                        {"anonymous": LOGIN, **helpers_here(200), **helpers_elsewhere(404),
                         "*": 403}),
    "assisted.start": ("POST", "/hulp/{assisted}/helpen",
                       {"anonymous": LOGIN, **helpers_here(302), **helpers_elsewhere(404),
                        "*": 403}),
    "assisted.stop": ("POST", "/hulp/stoppen", {"anonymous": LOGIN, **helpers_here(302),
                                                **helpers_elsewhere(302), "*": 403}),
    "assisted.passed_on": ("POST", "/hulp/{assisted}/doorgegeven",
                           {"anonymous": LOGIN, **helpers_here(302), **helpers_elsewhere(404),
                            "*": 403}),
    "assisted.forget": ("POST", "/hulp/{assisted}/wissen",
                        {"anonymous": LOGIN, **helpers_here(302), **helpers_elsewhere(404),
                         "*": 403}),
    "assisted.code": ("POST", "/hulp/{assisted}/code",
                      {"anonymous": LOGIN, **helpers_here(200), **helpers_elsewhere(404),
                       "*": 403}),
    # Taking an account over is for someone not logged in; the logged-in are sent home.
    "assisted.take_over": ("GET", "/overnemen", {"anonymous": 200, "*": 302}),
    "assisted.take_over:post": ("POST", "/overnemen", {"anonymous": 400, "*": 302}),
    "delivery.failed": ("GET", "/beheer/berichten", {"anonymous": LOGIN, "admin": 200, "*": 403}),
    "delivery.retry": ("POST", "/beheer/berichten/opnieuw",
                       {"anonymous": LOGIN, "admin": 302, "*": 403}),
    # Without a subscription in the body: a clear 400 for whoever is logged in.
    "delivery.push_subscribe": ("POST", "/push/abonnement", {"anonymous": LOGIN, "*": 400}),
    "delivery.push_unsubscribe": ("POST", "/push/opzeggen", {"anonymous": LOGIN, "*": 400}),
    "static": ("GET", "/static/css/app.css", {"*": 200}),
    "auth.sign_up": ("GET", "/aanmelden", {"anonymous": 200, "*": 302}),
    "auth.check_mail": ("GET", "/aanmelden/controleer-je-mail", {"*": 200}),
    "auth.confirm_email": ("GET", "/bevestigen/ongeldig", {"*": 302}),
    "auth.resend_confirmation": ("POST", "/bevestiging-opnieuw", {"anonymous": LOGIN, "*": 302}),
    "auth.login": ("GET", "/inloggen", {"anonymous": 200, "*": 302}),
    "auth.logout": ("POST", "/uitloggen", {"*": 302}),
    "auth.forgot_password": ("GET", "/wachtwoord-vergeten", {"*": 200}),
    "auth.reset_password": ("GET", "/wachtwoord-herstellen/ongeldig", {"*": 302}),
    "accounts.profile": ("GET", "/mijn-account/", {"anonymous": LOGIN, "*": 200}),
    "accounts.change_password": ("GET", "/mijn-account/wachtwoord",
                                 {"anonymous": LOGIN, "*": 200}),
    "accounts.change_email": ("GET", "/mijn-account/e-mail", {"anonymous": LOGIN, "*": 200}),
    "accounts.devices": ("GET", "/mijn-account/apparaten", {"anonymous": LOGIN, "*": 200}),
    "accounts.log_out_device": ("POST", "/mijn-account/apparaten/999999/uitloggen",
                                {"anonymous": LOGIN, "*": 302}),
    "accounts.log_out_everywhere": ("POST", "/mijn-account/apparaten/uitloggen",
                                    {"anonymous": LOGIN, "*": 302}),
    "accounts.confirm_email_change": ("GET", "/mijn-account/e-mail/bevestigen/ongeldig",
                                      {"*": 302}),
    # A gemeente admin runs their own gemeente's part: its people, settings and appointments.
    "admin.index": ("GET", "/beheer/",
                    {"anonymous": LOGIN, "admin": 302, **gemeente_admins(302), "*": 403}),
    "admin.users": ("GET", "/beheer/gebruikers",
                    {"anonymous": LOGIN, "admin": 200, **gemeente_admins(200), "*": 403}),
    "admin.edit_user": ("GET", "/beheer/gebruikers/{resident_id}",
                        {"anonymous": LOGIN, "admin": 200, "*": 403}),
    "admin.edit_user:staff": ("GET", "/beheer/gebruikers/{staff_here_id}",
                              {"anonymous": LOGIN, "admin": 200, "gemeente_admin_here": 200,
                               "*": 403}),
    # Nothing sent: the form keeps what the person holds, so saving changes nothing.
    "admin.edit_user:post": ("POST", "/beheer/gebruikers/{staff_here_id}",
                             {"anonymous": LOGIN, "admin": 302, "gemeente_admin_here": 302,
                              "*": 403}),
    "admin.gemeenten": ("GET", "/beheer/gemeenten", {"anonymous": LOGIN, "admin": 200, "*": 403}),
    "admin.gemeente": ("GET", "/beheer/gemeenten/GM9999",
                       {"anonymous": LOGIN, "admin": 200, "gemeente_admin_here": 200, "*": 403}),
    "admin.appoint": ("GET", "/beheer/gemeenten/GM9999/aanstellen",
                      {"anonymous": LOGIN, "admin": 200, "gemeente_admin_here": 200, "*": 403}),
    "admin.appoint:post": ("POST", "/beheer/gemeenten/GM9999/aanstellen",
                           {"anonymous": LOGIN, "admin": 400, "gemeente_admin_here": 400,
                            "*": 403}),
    # Importing buurten: 999999 is no import, so an admin gets as far as "not found".
    "imports.index": ("GET", "/beheer/import", {"anonymous": LOGIN, "admin": 200, "*": 403}),
    "imports.show": ("GET", "/beheer/import/999999", {"anonymous": LOGIN, "admin": 404, "*": 403}),
    "imports.decide": ("POST", "/beheer/import/999999/besluit",
                       {"anonymous": LOGIN, "admin": 404, "*": 403}),
    "admin.categories": ("GET", "/beheer/categorieen",
                         {"anonymous": LOGIN, "admin": 200, "*": 403}),
    "admin.edit_category": ("GET", "/beheer/categorieen/{category}",
                            {"anonymous": LOGIN, "admin": 200, "*": 403}),
    # {own_category} is a category of the listings' gemeente only.
    "admin.edit_category:own": ("GET", "/beheer/categorieen/{own_category}",
                                {"anonymous": LOGIN, "admin": 200, "gemeente_admin_here": 200,
                                 "*": 403}),
    "admin.gemeente_categories": ("GET", "/beheer/gemeenten/GM9999/categorieen",
                                  {"anonymous": LOGIN, "admin": 200, "gemeente_admin_here": 200,
                                   "*": 403}),
    # Listings: {listing} is open and owned by "resident"; {draft} is resident's draft.
    "listings.map_page": ("GET", "/kaart", {"*": 200}),
    "listings.choose_kind": ("GET", "/nieuw", {"anonymous": LOGIN, "*": 200}),
    "listings.create": ("GET", "/nieuw/initiatief", {"anonymous": LOGIN, "*": 200}),
    "listings.detail": ("GET", "/l/{listing}", {"*": 200}),
    "listings.detail:draft": ("GET", "/l/{draft}",
                              {"anonymous": 404, "resident": 200, **moderators_here(200),
                               "admin": 200, "*": 404}),
    "listings.edit": ("GET", "/l/{listing}/bewerken",
                      {"anonymous": LOGIN, "resident": 200, "admin": 200, "*": 403}),
    "listings.change_status": ("POST", "/l/{listing}/status",
                               {"anonymous": LOGIN, "resident": 302, "admin": 302, "*": 403}),
    "listings.media": ("GET", "/media/{photo}", {"*": 200}),
    "listings.media:draft": ("GET", "/media/{draft_photo}",
                             {"anonymous": 404, "resident": 200, **moderators_here(200),
                              "admin": 200, "*": 404}),
    "listings.geocode": ("GET", "/adres-zoeken?q=Kerkplein", {"*": 200}),
    "buurten.show": ("GET", "/buurt/BU99990101", {"*": 200}),
    "buurten.find": ("GET", "/buurten?buurt=BU99990101", {"*": 302}),
    "buurten.here": ("GET", "/buurten/hier?plek=0,0", {"*": 404}),
    "buurten.gemeenten": ("GET", "/gemeenten?q=buurtstad", {"*": 200}),
    "api.find_buurten": ("GET", "/api/v1/buurten/zoeken?q=binnenstad", {"*": 200}),
    "api.find_gemeenten": ("GET", "/api/v1/gemeenten?q=buurt", {"*": 200}),
    "api.listings": ("GET", "/api/v1/listings", {"*": 200}),
    "api.listing": ("GET", "/api/v1/listings/{listing}", {"*": 200}),
    "api.map_tile": ("GET", "/api/v1/map/5/16/22", {"*": 200}),
    "api.listing:draft": ("GET", "/api/v1/listings/{draft}", {"*": 404}),
    "api.buurt": ("GET", "/api/v1/buurten/BU99990101", {"*": 200}),
    "api.buurten": ("GET", "/api/v1/buurten?gemeente=GM9999", {"*": 200}),
    "api.openapi": ("GET", "/api/v1/openapi.json", {"*": 200}),
    "api.docs": ("GET", "/api/v1/", {"*": 200}),
    # Commitments: {commitment} is other_resident's response on resident's listing.
    "commitments.respond": ("POST", "/l/{listing}/reageren/{resource}",
                            {"anonymous": LOGIN, "resident": 403, "*": 302}),
    "commitments.show": ("GET", "/reacties/{commitment}",
                         {"anonymous": LOGIN, "resident": 200, "other_resident": 200, "*": 403}),
    "commitments.act": ("POST", "/reacties/{commitment}/accept",
                        {"anonymous": LOGIN, "resident": 302, "other_resident": 302, "*": 403}),
    "commitments.message": ("POST", "/reacties/{commitment}/bericht",
                            {"anonymous": LOGIN, "resident": 400, "other_resident": 400,
                             "*": 403}),
    "commitments.message_helpers": ("POST", "/l/{listing}/behoefte/{resource}/bericht",
                                    {"anonymous": LOGIN, "resident": 302, "admin": 302,
                                     "*": 403}),
    "commitments.my_page": ("GET", "/mijn-pagina", {"anonymous": LOGIN, "*": 200}),
    "notifications.index": ("GET", "/meldingen/", {"anonymous": LOGIN, "*": 200}),
    "notifications.mark_read": ("POST", "/meldingen/gelezen", {"anonymous": LOGIN, "*": 302}),
    "notifications.settings": ("GET", "/meldingen/instellingen", {"anonymous": LOGIN, "*": 200}),
    "matching.dismiss": ("POST", "/l/{listing}/suggesties/{resource}/{resource}/verbergen",
                         {"anonymous": LOGIN, "resident": 302, "admin": 403, "*": 403}),
    "following.follow": ("POST", "/l/{listing}/volgen", {"anonymous": LOGIN, "*": 302}),
    "following.follow_buurt": ("POST", "/buurt/BU99990101/volgen",
                               {"anonymous": LOGIN, "*": 302}),
    "following.follow_buurt:unknown": ("POST", "/buurt/BU00000000/volgen",
                                       {"anonymous": LOGIN, "*": 404}),
    "following.follow:draft": ("POST", "/l/{draft}/volgen",
                               {"anonymous": LOGIN, "resident": 302, **moderators_here(302),
                                "admin": 302, "*": 404}),
    "following.post_update": ("POST", "/l/{listing}/voortgang",
                              {"anonymous": LOGIN, "resident": 302, "admin": 302, "*": 403}),
    # Ownership: {handover} is offered by resident to other_resident (a helper).
    "ownership.manage": ("GET", "/l/{listing}/initiatiefnemers",
                         {"anonymous": LOGIN, "resident": 200, "*": 403}),
    "ownership.add": ("POST", "/l/{listing}/initiatiefnemers/toevoegen",
                      {"anonymous": LOGIN, "resident": 302, "*": 403}),
    "ownership.remove": ("POST", "/l/{listing}/initiatiefnemers/{other_resident_id}/weg",
                         {"anonymous": LOGIN, "resident": 302, "other_resident": 302,
                          "*": 403}),
    "ownership.hand_over": ("POST", "/l/{listing}/overdragen",
                            {"anonymous": LOGIN, "resident": 302, "*": 403}),
    "ownership.answer": ("POST", "/overdracht/{handover}/decline",
                         {"anonymous": LOGIN, "resident": 302, "other_resident": 302,
                          "*": 403}),
    # The gemeente's role and pledges: only staff of the initiative's own gemeente.
    "accountability.set_role": ("POST", "/l/{listing}/gemeente/rol",
                                {"anonymous": LOGIN, **staff_here(302), "*": 403}),
    "accountability.pledge": ("POST", "/l/{listing}/gemeente/toezeggingen",
                              {"anonymous": LOGIN, **staff_here(302), "*": 403}),
    # "Klopt het?" is answered by the people running the initiative (the resident owns it).
    "accountability.klopt_het": ("POST", "/toezeggingen/{pledge}/confirm",
                                 {"anonymous": LOGIN, "resident": 302, "*": 403}),
    "accountability.klopt_het:contest": ("POST", "/toezeggingen/{pledge}/contest",
                                         {"anonymous": LOGIN, "resident": 302, "*": 403}),
    "accountability.ask": ("POST", "/l/{listing}/behoefte/{resource}/gemeente-vragen",
                           {"anonymous": LOGIN, "resident": 302, "*": 403}),
    "accountability.decline": ("POST", "/gemeente/vragen/{question}/nee",
                               {"anonymous": LOGIN, **staff_here(302), "*": 403}),
    "accountability.ledger": ("GET", "/gemeente/GM9999/wacht-op-de-gemeente", {"*": 200}),
    # No match between the targets' listings: the moderators are let through and told so.
    "matching.introduce": ("POST", "/l/{listing}/suggesties/{resource}/{resource}/voorstellen",
                           {"anonymous": LOGIN, **moderators_here(302), "admin": 302,
                            "*": 403}),
    "nudges.keep": ("POST", "/l/{listing}/loopt-nog",
                    {"anonymous": LOGIN, "resident": 302, "admin": 302, "*": 403}),
    "nudges.quiet": ("GET", "/moderatie/stil",
                     {"anonymous": LOGIN, **moderators_here(200), **gemeente_admins(200),
                      "wijkwerker_elsewhere": 200, "admin": 200, "*": 403}),
    "teams.manage": ("GET", "/beheer/gemeenten/GM9999/teams",
                     {"anonymous": LOGIN, "gemeente_admin_here": 200, "admin": 200, "*": 403}),
    "teams.manage:post": ("POST", "/beheer/gemeenten/GM9999/teams",
                          {"anonymous": LOGIN, "gemeente_admin_here": 400, "admin": 400,
                           "*": 403}),
    "teams.assign_initiative": ("POST", "/l/{listing}/gemeente/eigenaar",
                                {"anonymous": LOGIN, **staff_here(302), "*": 403}),
    "teams.assign_pledge": ("POST", "/toezeggingen/{pledge}/eigenaar",
                            {"anonymous": LOGIN, **staff_here(302), "*": 403}),
    "api.figures": ("GET", "/api/v1/gemeenten/GM9999/cijfers", {"*": 200}),
    "api.figures_csv": ("GET", "/api/v1/gemeenten/GM9999/cijfers.csv", {"*": 200}),
    "buurten.index": ("GET", "/gemeente/GM9999/buurten", {"*": 200}),
    # The dashboard: who works for the gemeente; a wijkwerker (not staff) their own area, its
    # wijken and buurten, not the whole gemeente.
    "insight.dashboard": ("GET", "/gemeente/GM9999/dashboard",
                          {"anonymous": LOGIN, **helpers_here(200), "admin": 200, "*": 403}),
    "insight.dashboard:wijk": ("GET", "/gemeente/GM9999/dashboard?gebied=WK999901",
                               {"anonymous": LOGIN, **helpers_here(200), "admin": 200,
                                "*": 403}),
    "insight.dashboard:gemeente": ("GET", "/gemeente/GM9999/dashboard?gebied=",
                                   {"anonymous": LOGIN, **helpers_here(200),
                                    "wijkwerker_here": 403, "admin": 200, "*": 403}),
    "insight.dashboard:unknown": ("GET", "/gemeente/GM0000/dashboard",
                                  {"anonymous": LOGIN, "*": 404}),
    "insight.report": ("GET", "/gemeente/GM9999/wijk/WK999901/rapport", {"*": 200}),
    "insight.report:unknown": ("GET", "/gemeente/GM9999/wijk/WK000001/rapport", {"*": 404}),
    # Experiments and recipes: the people who run the initiative (and admins); what the
    # gemeente learned: its staff.
    "experiments.mark": ("POST", "/l/{listing}/experiment",
                         {"anonymous": LOGIN, "resident": 302, "admin": 302, "*": 403}),
    "experiments.mark:draft": ("POST", "/l/{draft}/experiment",
                               {"anonymous": LOGIN, "resident": 302, **moderators_here(403),
                                "admin": 302, "*": 404}),
    "experiments.lessons": ("POST", "/l/{listing}/experiment/geleerd",
                            {"anonymous": LOGIN, "resident": 302, "admin": 302, "*": 403}),
    "experiments.gemeente_lessons": ("POST", "/l/{listing}/experiment/gemeente",
                                     {"anonymous": LOGIN, **staff_here(302), "*": 403}),
    "experiments.publish_recipe": ("POST", "/l/{listing}/recept",
                                   {"anonymous": LOGIN, "resident": 302, "admin": 302,
                                    "*": 403}),
    "experiments.recipes": ("GET", "/recepten", {"*": 200}),
    # Writing to the wijkwerker: anyone with a confirmed address (the matrix's people have one);
    # answering: the moderators of the question's buurt.
    "buurten.ask": ("GET", "/buurt/BU99990101/wijkwerker", {"anonymous": LOGIN, "*": 200}),
    "buurten.ask:post": ("POST", "/buurt/BU99990101/wijkwerker",
                         {"anonymous": LOGIN, "*": 200}),
    "buurten.my_questions": ("GET", "/buurtvragen", {"anonymous": LOGIN, "*": 200}),
    "buurten.questions_to_answer": ("GET", "/moderatie/buurtvragen",
                                    {"anonymous": LOGIN, **moderators_here(200),
                                     **gemeente_admins(200), "wijkwerker_elsewhere": 200,
                                     "admin": 200, "*": 403}),
    "buurten.answer": ("POST", "/moderatie/buurtvragen/{buurt_question}/antwoord",
                       {"anonymous": LOGIN, **moderators_here(302), "admin": 302,
                        "wijkwerker_elsewhere": 403, "gemeente_admin_elsewhere": 403,
                        "*": 403}),
    "api.listings_csv": ("GET", "/api/v1/listings.csv", {"*": 200}),
    "api.listings_geojson": ("GET", "/api/v1/listings.geojson", {"*": 200}),
    "api.trends_json": ("GET", "/api/v1/gemeenten/GM9999/trends", {"*": 200}),
    "api.trends_csv": ("GET", "/api/v1/gemeenten/GM9999/trends.csv", {"*": 200}),
    "api.trends_buurten_csv": ("GET", "/api/v1/gemeenten/GM9999/trends/buurten.csv",
                               {"*": 200}),
    "accountability.close": ("POST", "/toezeggingen/{pledge}/deliver",
                             {"anonymous": LOGIN, **staff_here(302), "*": 403}),
    "accountability.answer": ("POST", "/l/{listing}/gemeente/antwoord",
                              {"anonymous": LOGIN, **staff_here(302), "*": 403}),
    "accountability.desk": ("GET", "/gemeente/balie",
                            {"anonymous": LOGIN, **staff_here(200), "staff_elsewhere": 200,
                             "*": 403}),
    "accountability.public_figures": ("GET", "/gemeente/GM9999/verantwoording", {"*": 200}),
    # Comments: {comment} is other_resident's comment on resident's listing.
    "comments.thread": ("GET", "/l/{listing}/opmerkingen/{comment}", {"*": 200}),
    "comments.thread:draft": ("GET", "/l/{draft}/opmerkingen/{comment}",
                              {"anonymous": 404, "resident": 404, **moderators_here(404),
                               "admin": 404, "*": 404}),
    "comments.post": ("POST", "/l/{listing}/opmerkingen", {"anonymous": LOGIN, "*": 400}),
    "comments.post:draft": ("POST", "/l/{draft}/opmerkingen",
                            {"anonymous": 404, "resident": 400, **moderators_here(400),
                             "admin": 400, "*": 404}),
    "comments.edit": ("GET", "/opmerkingen/{comment}/bewerken",
                      {"anonymous": LOGIN, "other_resident": 200, "*": 403}),
    "comments.delete": ("POST", "/opmerkingen/{comment}/verwijderen",
                        {"anonymous": LOGIN, "other_resident": 302, "*": 403}),
    "comments.lock": ("POST", "/l/{listing}/opmerkingen/sluiten",
                      {"anonymous": LOGIN, "resident": 302, **moderators_here(302), "admin": 302,
                       "*": 403}),
    # Moderation: only the wijkwerkers of the buurt and admins; anyone logged in may report.
    "moderation.flag": ("GET", "/moderatie/melden/opmerking/{comment}",
                        {"anonymous": LOGIN, "*": 200}),
    "moderation.flag:draft": ("GET", "/moderatie/melden/aanbod/{draft}",
                              {"anonymous": LOGIN, "resident": 200, **moderators_here(200),
                               "admin": 200, "*": 404}),
    "moderation.flag:message": ("GET", "/moderatie/melden/bericht/{message}",
                                {"anonymous": LOGIN, "resident": 200, "other_resident": 200,
                                 "*": 404}),
    "moderation.queue": ("GET", "/moderatie/",
                         {"anonymous": LOGIN, **moderators_here(200), **gemeente_admins(200),
                          "wijkwerker_elsewhere": 200, "admin": 200, "*": 403}),
    "moderation.item": ("GET", "/moderatie/aanbod/{listing}",
                        {"anonymous": LOGIN, **moderators_here(200), "admin": 200, "*": 403}),
    "moderation.item:comment": ("GET", "/moderatie/opmerking/{comment}",
                                {"anonymous": LOGIN, **moderators_here(200), "admin": 200,
                                 "*": 403}),
    # A private message is open to a moderator only once one of the two parties reported it.
    "moderation.item:message": ("GET", "/moderatie/bericht/{message}",
                                {"anonymous": LOGIN, **moderators_here(404), "admin": 404,
                                 "*": 403}),
    "moderation.item:reported_message": ("GET", "/moderatie/bericht/{reported_message}",
                                         {"anonymous": LOGIN, **moderators_here(200),
                                          "admin": 200, "*": 403}),
    "moderation.decide": ("POST", "/moderatie/aanbod/{listing}/verbergen",
                          {"anonymous": LOGIN, **moderators_here(400), "admin": 400, "*": 403}),
    "moderation.decide:approve": ("POST", "/moderatie/aanbod/{listing}/goedkeuren",
                                  {"anonymous": LOGIN, **moderators_here(302), "admin": 302,
                                   "*": 403}),
    "moderation.decide:suspend": ("POST", "/moderatie/opmerking/{comment}/schorsen",
                                  {"anonymous": LOGIN, **moderators_here(400), "admin": 400,
                                   "*": 403}),
    "moderation.move": ("POST", "/moderatie/aanbod/{listing}/verplaatsen",
                        {"anonymous": LOGIN, **moderators_here(400), "admin": 400, "*": 403}),
    "audit.index": ("GET", "/logboek/",
                    {"anonymous": LOGIN, **moderators_here(200), **gemeente_admins(200),
                     "wijkwerker_elsewhere": 200, "admin": 200, "*": 403}),
    "audit.export": ("GET", "/logboek/export.csv",
                     {"anonymous": LOGIN, **moderators_here(200), **gemeente_admins(200),
                      "wijkwerker_elsewhere": 200, "admin": 200, "*": 403}),
}


@pytest.fixture
def people(make_user, gemeente, other_gemeente):
    """One person of each role; the resident owns the listings of ``targets``."""
    return {
        "resident": make_user(),
        "other_resident": make_user(),
        "wijkwerker_here": make_user(Role.WIJKWERKER, gemeente=gemeente, wijken=gemeente.wijken),
        "wijkwerker_elsewhere": make_user(Role.WIJKWERKER, gemeente=other_gemeente,
                                          wijken=other_gemeente.wijken),
        "staff_elsewhere": make_user(Role.STAFF, gemeente=other_gemeente),
        "staff_here": make_user(Role.STAFF, gemeente=gemeente),
        "gemeente_admin_here": make_user(Role.GEMEENTE_ADMIN, gemeente=gemeente),
        "gemeente_admin_elsewhere": make_user(Role.GEMEENTE_ADMIN, gemeente=other_gemeente),
        "wijkwerker_and_staff_here": make_user(roles=(Role.WIJKWERKER, Role.STAFF),
                                               gemeente=gemeente, wijken=gemeente.wijken),
        "admin": make_user(Role.ADMIN),
    }


@pytest.fixture
def targets(people, make_listing, tmp_path):
    """An open listing and a draft of the resident, each with a photo."""
    from marketplace.accountability.models import PledgeKind
    from marketplace.accountability.requests import ask
    from marketplace.accountability.services import make_pledge
    from marketplace.assisted.models import Channel, ConsentWay
    from marketplace.assisted.services import NewResident, register
    from marketplace.comments.services import post_comment
    from marketplace.commitments.services import respond, send_message
    from marketplace.listings import services
    from marketplace.listings.models import Category
    from marketplace.listings.photos import StoredPhoto, upload_dir
    from marketplace.moderation.models import FlagReason
    from marketplace.moderation.services import flag
    from marketplace.ownership.services import offer_handover

    listing = make_listing(owner=people["resident"])
    draft = make_listing(owner=people["resident"], publish=False)
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for item, name in ((listing, "open"), (draft, "draft")):
        for suffix in ("", "-thumb"):
            (folder / f"{name}{suffix}.jpg").write_bytes(b"\xff\xd8 not checked here")
        services.add_photos(item, [StoredPhoto(f"{name}.jpg", f"{name}-thumb.jpg", 10, 10)])
    commitment = respond(people["other_resident"], listing.resources[0], 1)
    message = send_message(people["other_resident"], commitment, "Hoe laat?")
    reported_message = send_message(people["other_resident"], commitment, "Bel me: 0612345678")
    flag(people["resident"], reported_message, FlagReason.PERSONAL_DATA, None)
    comment = post_comment(people["other_resident"], listing, "Mooi plan!")
    from marketplace.buurten import questions as buurt_questions

    handover = offer_handover(people["resident"], listing, people["other_resident"])
    pledge = make_pledge(people["staff_here"], listing, kind=PledgeKind.PUBLICITY, amount=None,
                         description="Flyers", department="Communicatie",
                         due_on=date.today() + timedelta(days=7))
    own_category = Category(slug="kermis", name_nl="Kermis", name_en="Fair",
                            gemeente=listing.gemeente)
    question = ask(people["resident"], listing, listing.resources[0], PledgeKind.SPACE,
                   "Wij zoeken een schuur.")
    buurt_question = buurt_questions.ask(people["resident"], listing.buurt,
                                         "Waar is de buurtkamer?")
    assisted = register(people["staff_here"], listing.gemeente, NewResident(
        name="Mevrouw Jansen", channel=Channel.SMS, contact="0612345678",
        consent_way=ConsentWay.PHONE))
    db.session.add(own_category)
    db.session.commit()
    return {"resident_id": people["resident"].id, "own_category": own_category.id,
            "staff_here_id": people["staff_here"].id, "listing": listing.id, "draft": draft.id,
            "resource": listing.resources[0].id, "commitment": commitment.id,
            "handover": handover.id, "other_resident_id": people["other_resident"].id,
            "pledge": pledge.id, "comment": comment.id, "message": message.id,
            "reported_message": reported_message.id,
            "category": listing.category_id, "assisted": assisted.user_id,
            "question": question.id, "buurt_question": buurt_question.id,
            "photo": "open.jpg", "draft_photo": "draft-thumb.jpg"}


def test_every_route_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints == {name.partition(":")[0] for name in MATRIX}


def _answer(client, auth, people, targets, endpoint: str, role: str) -> str | None:
    """What went wrong when ``role`` opens ``endpoint``; None when it answered as expected."""
    method, url, expected_by_role = MATRIX[endpoint]
    expected = expected_by_role.get(role, expected_by_role["*"])
    if role != "anonymous":
        auth.login(people[role])
    with client.open(url.format(**targets), method=method) as response:
        pass
    if role != "anonymous":
        auth.logout()
    if expected == LOGIN:
        if response.status_code == 302 and response.headers["Location"].startswith("/inloggen"):
            return None
    elif response.status_code == expected:
        return None
    return f"{role}: expected {expected}, got {response.status_code} {response.text[:300]}"


# Reading changes nothing, so one set of people and targets serves every role; a step that
# changes something gets a fresh set for each role.
READING = sorted(name for name, (method, _url, _expected) in MATRIX.items() if method == "GET")
CHANGING = sorted(set(MATRIX) - set(READING))


@pytest.mark.parametrize("endpoint", READING)
def test_page_access(client, auth, people, targets, endpoint):
    wrong = [_answer(client, auth, people, targets, endpoint, role) for role in ROLES]
    assert [answer for answer in wrong if answer] == []


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", CHANGING)
def test_step_access(client, auth, people, targets, endpoint, role):
    assert _answer(client, auth, people, targets, endpoint, role) is None
