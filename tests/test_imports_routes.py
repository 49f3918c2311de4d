"""The import pages: upload, progress, the refusal grouped by kind, the overlap decision, the
background process, the audit log, and who may open them."""

import copy
import gzip
import io
import json
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from marketplace.audit.models import AuditEntry
from marketplace.auth.models import GEMEENTE_ROLES, Role
from marketplace.demo import demo_buurten_geojson
from marketplace.extensions import db
from marketplace.geo.models import Buurt
from marketplace.imports import routes, runner
from marketplace.imports.models import BuurtImport, ImportStatus
from marketplace.imports.runner import run_job


@pytest.fixture
def app_config(app_config, tmp_path):
    return {**app_config, "IMPORT_DIR": str(tmp_path / "imports")}


@pytest.fixture
def in_process(monkeypatch):
    """Run jobs in the test's own process (the background process has its own test)."""
    monkeypatch.setattr(routes, "launch", lambda job: run_job(job.id))


@pytest.fixture
def admin(make_user, auth):
    """An admin who reads English (a Dutch one has a test of their own)."""
    user = make_user(Role.ADMIN, locale="en")
    auth.login(user)
    return user


def _gz(collection: dict) -> bytes:
    return gzip.compress(json.dumps(collection).encode())


def _upload(client, content: bytes, name: str = "buurten.geojson.gz"):
    return client.post("/beheer/import", data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def _job(response) -> BuurtImport:
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    db.session.expire_all()
    return db.session.get(BuurtImport, job_id)


def _actions() -> list[str]:
    return db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.subject_type == "buurt_import").order_by(AuditEntry.id)).all()


def _other_gemeente(shift_lon: float) -> dict:
    collection = demo_buurten_geojson()
    feature = copy.deepcopy(collection["features"][0])
    feature["properties"].update(buurtcode="BU88880101", wijkcode="WK888801",
                                 gemeentecode="GM8888", gemeentenaam="Andersdorp")
    ring = feature["geometry"]["coordinates"][0]
    feature["geometry"]["coordinates"] = [[[x + shift_lon, y] for x, y in ring]]
    return {"type": "FeatureCollection", "features": [feature]}


@pytest.mark.parametrize("role", [None, "resident", Role.WIJKWERKER, Role.STAFF,
                                  Role.GEMEENTE_ADMIN, Role.ADMIN])
def test_who_may_open_the_import_pages(client, auth, make_user, gemeente, role):
    job = BuurtImport(file_name="b.geojson", format="geojson", status=ImportStatus.DONE)
    db.session.add(job)
    db.session.commit()
    if role is not None:
        extra = {"gemeente": gemeente} if role in GEMEENTE_ROLES else {}
        auth.login(make_user(None if role == "resident" else role, **extra))
    pages = [("GET", "/beheer/import", 200), ("GET", f"/beheer/import/{job.id}", 200),
             ("POST", f"/beheer/import/{job.id}/besluit", 302)]
    for method, url, admin_status in pages:
        response = client.open(url, method=method, data={"choice": "cancel"})
        if role is None:
            assert response.status_code == 302
            assert response.headers["Location"].startswith("/inloggen")
        else:
            assert response.status_code == (admin_status if role == Role.ADMIN else 403)


def test_upload_imports_and_shows_the_result(client, admin, in_process):
    response = _upload(client, _gz(demo_buurten_geojson()))
    assert response.status_code == 302
    job = _job(response)
    assert (job.status, job.format, job.created, job.total) == (ImportStatus.DONE, "geojson.gz",
                                                                12, 12)
    page = client.get(f"/beheer/import/{job.id}").text
    assert "12 buurten added, 0 changed, 0 unchanged" in page
    assert 'http-equiv="refresh"' not in page
    assert _actions() == ["buurten.import", "buurten.import_done"]
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "buurten.import"))
    assert entry.actor_id == admin.id and entry.subject_label == "buurten.geojson.gz"
    folder = Path(client.application.config["IMPORT_DIR"])
    assert not list(folder.glob(f"{job.id}.geojson*"))  # the upload is removed when done
    listing = client.get("/beheer/import").text
    assert "buurten.geojson.gz" in listing


def test_reimport_changes_nothing(client, admin, in_process):
    _upload(client, _gz(demo_buurten_geojson()))
    job = _job(_upload(client, _gz(demo_buurten_geojson())))
    assert (job.created, job.updated, job.unchanged) == (0, 0, 12)


def test_refused_file_shows_problems_grouped_and_imports_nothing(client, admin, in_process):
    collection = demo_buurten_geojson()
    for feature in collection["features"][:7]:
        del feature["properties"]["buurtnaam"]
    job = _job(_upload(client, json.dumps(collection).encode(), "buurten.geojson"))
    assert job.status == ImportStatus.REFUSED
    assert job.problems["wrong"] == 7
    page = client.get(f"/beheer/import/{job.id}").text
    assert "7 of 12 buurten cannot be imported" in page
    assert "No. 1 in the file (BU99990101)" in page
    assert "No. 5 in the file (BU99990201)" in page
    assert "No. 6 in the file" not in page
    assert "and 2 more" in page
    assert db.session.scalar(sa.select(sa.func.count(Buurt.id))) == 0
    assert _actions() == ["buurten.import", "buurten.import_refused"]


def test_a_dutch_admin_reads_the_refusal_in_dutch(client, auth, make_user, in_process):
    auth.login(make_user(Role.ADMIN, locale="nl"))
    collection = demo_buurten_geojson()
    for feature in collection["features"][:7]:
        del feature["properties"]["buurtnaam"]
    job = _job(_upload(client, json.dumps(collection).encode(), "buurten.geojson"))
    page = client.get(f"/beheer/import/{job.id}").text
    assert "7 van 12 buurten kunnen niet worden ingelezen: 7 × eigenschap ‘buurtnaam’ ontbreekt" \
        in page
    assert "Nr. 1 in het bestand (BU99990101)" in page


def test_wrong_file_type_is_refused_on_the_form(client, admin, in_process):
    response = _upload(client, b"x", "buurten.shp")
    assert response.status_code == 400
    assert "Choose a .geojson, .geojson.gz or .gpkg file." in response.text
    assert db.session.scalar(sa.select(sa.func.count(BuurtImport.id))) == 0


def test_running_import_shows_progress_and_refreshes(client, admin):
    job = BuurtImport(file_name="nl.gpkg", format="gpkg", status=ImportStatus.CHECKING,
                      total=14_000, processed=3_500)
    db.session.add(job)
    db.session.commit()
    page = client.get(f"/beheer/import/{job.id}").text
    assert '<meta http-equiv="refresh" content="2">' in page
    assert '<progress id="import-progress" max="14000" value="3500">' in page
    assert "Checking: 3,500 of 14,000 buurten" in page


@pytest.fixture
def waiting(client, admin, gemeente, in_process):
    """An upload that overlaps the demo gemeente: it waits for the admin's decision."""
    job = _job(_upload(client, _gz(_other_gemeente(shift_lon=0.005))))
    assert job.status == ImportStatus.NEEDS_DECISION
    return job


def test_overlap_waits_for_a_decision(client, waiting):
    assert waiting.overlaps["count"] == 2  # 75 % over one demo buurt, 25 % over the next
    page = client.get(f"/beheer/import/{waiting.id}").text
    assert "BU88880101" in page and "BU99990101" in page and "Buurtstad (demo)" in page
    assert "75" in page  # percent of the smaller buurt
    assert 'name="choice" value="import"' in page and 'name="choice" value="cancel"' in page
    assert db.session.scalar(sa.select(Buurt).where(Buurt.code == "BU88880101")) is None


def test_import_anyway_imports_once(client, waiting):
    response = client.post(f"/beheer/import/{waiting.id}/besluit", data={"choice": "import"})
    assert response.status_code == 302
    db.session.expire_all()
    job = db.session.get(BuurtImport, waiting.id)
    assert (job.status, job.created, job.overlaps_accepted) == (ImportStatus.DONE, 1, True)
    again = client.post(f"/beheer/import/{waiting.id}/besluit", data={"choice": "import"},
                        follow_redirects=True)
    assert "no longer waiting for a decision" in again.text
    assert db.session.scalar(sa.select(sa.func.count(Buurt.id))) == 13
    assert _actions() == ["buurten.import", "buurten.import_accept", "buurten.import_done"]


def test_cancel_imports_nothing(client, waiting):
    client.post(f"/beheer/import/{waiting.id}/besluit", data={"choice": "cancel"})
    db.session.expire_all()
    assert db.session.get(BuurtImport, waiting.id).status == ImportStatus.CANCELLED
    assert db.session.scalar(sa.select(Buurt).where(Buurt.code == "BU88880101")) is None
    assert _actions() == ["buurten.import", "buurten.import_cancel"]
    page = client.get(f"/beheer/import/{waiting.id}").text
    assert "nothing was imported" in page


def test_a_large_upload_is_allowed_only_here(app, client, admin, in_process):
    app.config["MAX_CONTENT_LENGTH"] = 1_000
    content = json.dumps(demo_buurten_geojson()).encode()
    assert len(content) > 1_000
    job = _job(_upload(client, content, "buurten.geojson"))
    assert job.status == ImportStatus.DONE
    app.config["IMPORT_MAX_BYTES"] = 1_000
    assert _upload(client, content, "buurten.geojson").status_code == 413


def test_the_import_runs_in_a_process_of_its_own(client, admin):
    """Through the real launch: `flask run-import` in a separate process, followed by polling
    the job's row as the page does."""
    if db.engine.url.database in (None, "", ":memory:"):
        pytest.skip("a database in memory cannot be shared with another process")
    response = _upload(client, _gz(demo_buurten_geojson()))
    job_id = _job(response).id
    deadline = time.monotonic() + 90
    while True:
        db.session.expire_all()
        job = db.session.get(BuurtImport, job_id)
        if not job.running or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    for child in runner._children:  # the process has ended: collect it
        child.wait(timeout=30)
    runner._reap()
    assert job.status == ImportStatus.DONE, job.problems
    assert job.created == 12
    assert db.session.scalar(sa.select(sa.func.count(Buurt.id))) == 12
    assert _actions() == ["buurten.import", "buurten.import_done"]
