"""`/reports` and `/reports.csv`: the governing body's report, on screen, printed and as a spreadsheet."""
import csv
import io

from flask import Response, render_template, request
from flask_login import current_user

from .. import audit
from ..auth.roles import role_required
from ..db import get_db
from .charts import bar_chart
from .forms import ReportPeriodForm
from .reports import build_report, choose_period
from .views import bp

READERS = ("governor", "head", "dsl")


def _period_from_request():
    """Return (form, period); the period is None when the dates asked for are not usable."""
    form = ReportPeriodForm(formdata=request.args)
    if not form.validate():
        return form, None
    return form, choose_period(form)


@bp.route("/reports")
@role_required(*READERS)
def reports():
    form, period = _period_from_request()
    db = get_db()
    tables = build_report(db, period) if period else []
    if period:
        _record(db, "report.view", period)
    asked = (form.start.data, form.end.data)
    widened = period and request.args and asked != (period.start, period.end)
    if period:
        form.start.data, form.end.data = period.start, period.end
    return render_template("governance/reports.html", form=form, period=period, tables=tables,
                           chart=bar_chart, widened=widened and _asked_text(*asked))


def _asked_text(start, end):
    """Describe the dates a person typed, either of which may be missing."""
    words = [f"{name} {d.strftime('%-d %B %Y')}" for name, d in (("from", start), ("to", end)) if d]
    return " ".join(words)


def _record(db, action, period):
    with db.atomic():
        audit.record(db, current_user.id, action, "report", {"period": period.label})


def csv_text(period, tables):
    """Write the report's tables as CSV rows: table, measure, value."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["table", "measure", "value"])
    writer.writerow(["Report for the governing body", "Period", period.label])
    for table in tables:
        for label, figure in table.rows:
            writer.writerow([table.title, label, str(figure)])
    return out.getvalue()


@bp.route("/reports.csv")
@role_required(*READERS)
def reports_csv():
    form, period = _period_from_request()
    if period is None:
        problems = " ".join(e for errors in form.errors.values() for e in errors)
        return Response(problems + "\n", status=400, mimetype="text/plain")
    db = get_db()
    body = csv_text(period, build_report(db, period))
    _record(db, "report.csv", period)
    name = f"policy-report-{period.start.isoformat()}-to-{period.end.isoformat()}.csv"
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
