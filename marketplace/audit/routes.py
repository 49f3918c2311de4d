"""The audit log page and its CSV export."""

import csv
import io

from flask import Blueprint, Response, render_template, request, stream_with_context
from flask_login import current_user

from marketplace import clock, policy
from marketplace.audit.labels import ACTION_LABELS
from marketplace.audit.queries import (
    CSV_HEADER,
    actor_of,
    changes,
    csv_rows,
    entries_for,
    people_named,
    subject_of,
)
from marketplace.auth.queries import scope_of
from marketplace.extensions import db
from marketplace.text import spreadsheet_safe

bp = Blueprint("audit", __name__, url_prefix="/logboek")

PAGE_SIZE = 50


def _chosen_action() -> str | None:
    action = request.args.get("actie") or None
    return action if action in ACTION_LABELS else None


@bp.route("/")
@policy.require("audit.read")
def index():
    action = _chosen_action()
    page = db.paginate(entries_for(current_user, action), per_page=PAGE_SIZE, error_out=False)
    people = people_named(page.items)
    return render_template("audit/index.html", page=page, action=action,
                           rows=[(entry, actor_of(entry), subject_of(entry, people),
                                  changes(entry, people)) for entry in page.items],
                           action_labels=ACTION_LABELS, scope=scope_of(current_user))


@bp.route("/export.csv")
@policy.require("audit.read")
def export():
    query = entries_for(current_user, _chosen_action())

    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_HEADER)
        for row in csv_rows(query):
            writer.writerow([spreadsheet_safe(cell) for cell in row])
            if buffer.tell() > 64_000:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    filename = f"buurtmarkt-logboek-{clock.now():%Y%m%d}.csv"
    return Response(stream_with_context(lines()), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
