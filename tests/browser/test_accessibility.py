"""WCAG 2.1 AA on every page of every role: axe-core (vendored, tests/browser/vendor) run in
chromium at phone size on each kind of page a visitor, resident, wijkwerker, staff member and
admin reaches by following links from the home page, on the seeded demo."""

import os
import re
from collections import Counter
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page

from marketplace.assisted.models import Channel, ConsentWay
from marketplace.assisted.services import NewResident, register
from marketplace.auth.models import User
from marketplace.demo import DEMO_ACCOUNTS, seed_demo
from marketplace.extensions import db

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Not pages: downloads, feeds, the API, the service worker, and steps that change something.
SKIP = re.compile(r"^/(api/|static/|media/|uitloggen|sw\.js|manifest|bevestigen/|"
                  r"wachtwoord-herstellen/|meldingen/afmelden/)|\.(zip|csv|json)$")
MAX_PAGES = 90
PER_KIND = 3  # /l/12 and /l/13 are one kind of page, but one may be the person's own
ROLES = {
    "visitor": None,
    "resident": "bewoner@demo.buurtmarkt.nl",
    "wijkwerker": "wijkwerker@demo.buurtmarkt.nl",
    "staff": "medewerker@demo.buurtmarkt.nl",
    "admin": "beheerder@demo.buurtmarkt.nl",
}
# Kinds of page each role reaches at least (a crawl stopped at the log-in page fails).
MINIMUM_KINDS = {"visitor": 10, "resident": 20, "wijkwerker": 22, "staff": 22, "admin": 25}
START = ["/", "/kaart", "/buurten", "/gemeenten", "/privacy", "/inloggen", "/aanmelden",
         "/mijn-pagina", "/meldingen/", "/meldingen/instellingen", "/mijn-account/", "/nieuw",
         "/nieuw/initiatief", "/moderatie/", "/gemeente/balie", "/beheer/", "/logboek/",
         "/beheer/berichten", "/offline", "/hulp", "/hulp/nieuw", "/overnemen", "/recepten",
         "/gemeente/GM9999/dashboard", "/gemeente/GM9999/wijk/WK999901/rapport",
         "/buurt/BU99990101", "/moderatie/stil"]


def _kind(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def _violations(page: Page) -> list[str]:
    page.add_script_tag(content=AXE)
    # The accessible name of a control must contain its visible text (experimental in axe, so
    # asked for by name).
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " rules: {'label-content-name-mismatch': {enabled: true}}})", RULES)
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]]


def _crawl(page: Page, base: str) -> tuple[dict[str, list[str]], set[str]]:
    kinds, done, checked, queue, found = Counter(), set(), set(), list(START), {}
    while queue and len(done) < MAX_PAGES:
        path = queue.pop(0)
        if path in done or kinds[_kind(path)] >= PER_KIND or SKIP.search(path):
            continue
        kinds[_kind(path)] += 1
        done.add(path)
        response = page.goto(base + path)
        if response is None or response.status >= 400 or urlsplit(page.url).path != path:
            continue  # not for this role (403), or a redirect (to the log-in page)
        checked.add(_kind(path))
        if problems := _violations(page):
            found[path] = problems
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            parts = urlsplit(urljoin(page.url, href))
            if parts.netloc == urlsplit(base).netloc and parts.path not in queue:
                queue.append(parts.path)
    return found, checked


def _helped_resident() -> None:
    """A resident the demo's wijkwerker helps, so that her page and letter are crawled too."""
    wijkwerker = db.session.scalar(sa.select(User).where(User.email == ROLES["wijkwerker"]))
    register(wijkwerker, wijkwerker.gemeente, NewResident(
        name="Mevrouw Jansen", channel=Channel.LETTER, contact="Dorpsstraat 1\n9999 AA Buurtstad",
        consent_way=ConsentWay.IN_PERSON))


@pytest.mark.parametrize("role", list(ROLES))
def test_no_axe_violations_on_any_page(browser, browser_context_args, live_server, app, role):
    if os.environ.get("TEST_DATABASE_URL"):
        # The pages' markup does not depend on the database; the SQLite pass checks it, and CI
        # keeps its two passes within its time.
        pytest.skip("checked in the SQLite pass")
    seed_demo()
    _helped_resident()
    db.session.commit()
    # axe is put into each page as a script of its own, which the site's CSP would refuse.
    context = browser.new_context(**browser_context_args, bypass_csp=True)
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_()
               if route.request.url.startswith("http://127.0.0.1:") else route.abort())
    email = ROLES[role]
    if email is not None:
        password = next(a.password for a in DEMO_ACCOUNTS if a.email == email)
        page.goto(live_server + "/inloggen")
        page.get_by_label("E-mailadres").fill(email)
        page.get_by_label("Wachtwoord").fill(password)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url(lambda url: "/inloggen" not in url)
    found, checked = _crawl(page, live_server)
    context.close()
    print(role, sorted(checked))
    assert found == {}
    assert len(checked) >= MINIMUM_KINDS[role]  # the crawl reached the role's pages
