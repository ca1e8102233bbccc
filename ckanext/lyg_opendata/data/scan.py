"""The personal-data scan (Art 14, 26): every uploaded or replaced file of a dataset and
every DataStore table is scanned in the job queue (``detect``); findings are stored per
column (``model``).

- A personal finding is *open* until the agency marks it a false positive with a reason
  (recorded in the dataset's review timeline) or replaces the file (the next scan
  supersedes it).
- While a dataset has open personal findings, submission and approval are refused
  (``review.transition`` asks ``blocking_findings``).
- A published dataset whose new file has findings is withdrawn at once through the review
  workflow (``withdraw``: private, event, notices to supervisors and the agency, Art 26).
"""
from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any, Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.lyg_opendata import notify
from ckanext.lyg_opendata.clitools import in_portal_language
from ckanext.lyg_opendata.catalog import review
from ckanext.lyg_opendata.data import detect
from ckanext.lyg_opendata.data.model import Finding, Scan

log = logging.getLogger(__name__)
_ = tk._


def N_(msgid: str) -> str:
    return msgid


KIND_LABELS = {
    "ric": N_("Resident identity card numbers"),
    "mobile": N_("Mobile phone numbers"),
    "bank_card": N_("Bank card numbers"),
    "email": N_("Email addresses"),
    "uscc": N_("Unified social credit codes (not personal data)"),
}
SOURCE_LABELS = {"file": N_("uploaded file"), "datastore": N_("DataStore table")}


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _site_user() -> str:
    return tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]


def latest_scan(resource_id: str, source: str) -> Optional[Scan]:
    return model.Session.query(Scan).filter(
        Scan.resource_id == resource_id, Scan.source == source).order_by(
        Scan.created.desc()).first()


# --- requesting scans ----------------------------------------------------------------------

def request_scan(resource_id: str, source: str, marker: Optional[str],
                 force: bool = False) -> Optional[str]:
    """Record a pending scan and enqueue it; None when this very file (marker) was scanned
    or is waiting already."""
    res = model.Resource.get(resource_id)
    if res is None or res.state != "active":
        return None
    latest = latest_scan(resource_id, source)
    if not force and latest is not None and latest.marker == marker:
        return None
    scan = Scan(resource_id=res.id, package_id=res.package_id, source=source, marker=marker)
    model.Session.add(scan)
    model.Session.commit()
    tk.enqueue_job(run_scan_job, [scan.id], title=f"lyg_opendata personal-data scan {scan.id}",
                   rq_kwargs={"timeout": int(tk.config.get("ckan.jobs.timeout") or 600)})
    return scan.id


def file_marker(res_dict: dict[str, Any]) -> str:
    return str(res_dict.get("last_modified") or res_dict.get("created") or "")


def on_resource_saved(res_dict: dict[str, Any]) -> None:
    """IResourceController: a new or replaced upload is scanned (once per file)."""
    if res_dict.get("url_type") != "upload" or not res_dict.get("id"):
        return
    try:
        request_scan(res_dict["id"], "file", file_marker(res_dict))
    except Exception:  # noqa: BLE001 - a scan that cannot be queued must not lose the upload
        log.exception("could not queue the personal-data scan of %s", res_dict.get("id"))


def on_xloader_upload(resource_dict: dict[str, Any]) -> None:
    """IXloader.after_upload (called by xloader's callback when the rows are viewable and
    again when complete): one dictionary-and-scan job per xloader job."""
    rid = resource_dict.get("id")
    if not rid:
        return
    marker = None
    try:
        import json
        task = tk.get_action("task_status_show")({"ignore_auth": True}, {
            "entity_id": rid, "task_type": "xloader", "key": "xloader"})
        marker = json.loads(task.get("value") or "{}").get("job_id")
    except (tk.ObjectNotFound, ValueError):
        pass
    try:
        request_scan(rid, "datastore", marker or file_marker(resource_dict))
    except Exception:  # noqa: BLE001 - the load itself has succeeded
        log.exception("could not queue the DataStore scan of %s", rid)


# --- running scans -------------------------------------------------------------------------

def _copy_upload(res: model.Resource, target) -> int:
    """Copy the resource's uploaded file into ``target`` (a binary file) through CKAN's file
    store (as the download view reads it); returns its size."""
    import shutil

    from ckan.lib import files, uploader
    up = uploader.get_resource_uploader({"id": res.id, "url": res.url, "url_type": res.url_type})
    path = up.get_path(res.id)
    storage = getattr(up, "storage", None)
    if storage is not None and hasattr(storage, "stream"):
        location = files.Location(path)
        try:
            data = files.FileData(location, size=storage.size(location))
        except files.exc.LocationError as e:
            raise ValueError("the uploaded file is not in the file store") from e
        size = 0
        for chunk in storage.stream(data):
            target.write(chunk)
            size += len(chunk)
        return size
    import os
    if not isinstance(path, str) or not os.path.exists(path):
        raise ValueError("the uploaded file is not in the file store")
    with open(path, "rb") as f:
        shutil.copyfileobj(f, target)
    return os.path.getsize(path)


def _scan_file(res: model.Resource) -> tuple[list[detect.ColumnFinding], int, int]:
    import os
    import tempfile
    suffix = "." + (res.format or "dat").lower()
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        size = _copy_upload(res, tmp)
        tmp.flush()
        header, rows = detect.read_table(tmp.name, res.format or "")
        table = detect.TableScan(header).feed_all(rows)
        return table.findings(), table.rows, size or os.path.getsize(tmp.name)


def _scan_datastore(res: model.Resource) -> tuple[list[detect.ColumnFinding], int, int]:
    """Stream the table through a server-side cursor of the DataStore's write engine."""
    from ckanext.datastore.backend.postgres import get_write_engine
    engine = get_write_engine()
    size = 0
    with engine.connect() as conn:
        cols = [r[0] for r in conn.execute(sa.text(
            "SELECT column_name FROM information_schema.columns WHERE table_name = :t "
            "AND column_name NOT IN ('_id', '_full_text') ORDER BY ordinal_position"),
            {"t": res.id})]
        if not cols:
            return [], 0, 0
        # every cell as text, '' for NULL: the detector's fast path (detect.TableScan)
        quoted = ", ".join("coalesce(\"%s\"::text, '')" % c.replace('"', '""') for c in cols)
        table = detect.TableScan(cols)
        result = conn.execution_options(stream_results=True, max_row_buffer=5000).execute(
            sa.text(f'SELECT {quoted} FROM "{res.id}"'))
        for rows in result.partitions(detect.BLOCK):
            table.feed_all(tuple(r) for r in rows)
            size += sum(map(len, map("".join, rows)))
    return table.findings(), table.rows, size


@in_portal_language  # the notices of its findings in the portal's language
def run_scan_job(scan_id: str) -> None:
    """The job: scan, store the findings, act on them."""
    scan = model.Session.get(Scan, scan_id)
    if scan is None:
        return
    res = model.Resource.get(scan.resource_id)
    if res is None or res.state != "active":
        scan.status, scan.error = "failed", "resource deleted"
        model.Session.commit()
        return
    t0 = time.perf_counter()
    try:
        if scan.source == "datastore":
            # after a load: the data dictionary from the 数据项, then the scan
            from ckanext.lyg_opendata.data import dictionary
            dictionary.apply(res.id)
        found, rows, size = (_scan_file(res) if scan.source == "file" else _scan_datastore(res))
    except Exception as e:  # noqa: BLE001 - stored as the scan's error, shown to the agency
        model.Session.rollback()
        scan = model.Session.get(Scan, scan_id)
        scan.status, scan.error, scan.finished_at = "failed", str(e)[:500], _utcnow()
        model.Session.commit()
        log.warning("personal-data scan %s of %s failed: %s", scan_id, res.id, e)
        return
    store(scan, found, rows, size, time.perf_counter() - t0)


def store(scan: Scan, found: list[detect.ColumnFinding], rows: int, size: int,
          seconds: float) -> list[Finding]:
    # the resource's row is locked: two scans of one resource finish one after the other
    model.Session.query(model.Resource).filter(
        model.Resource.id == scan.resource_id).with_for_update().one()
    model.Session.query(Finding).filter(
        Finding.resource_id == scan.resource_id, Finding.source == scan.source,
        Finding.status == "open").update({"status": "superseded"}, synchronize_session=False)
    made = []
    for f in found:
        finding = Finding(scan_id=scan.id, resource_id=scan.resource_id,
                          package_id=scan.package_id, source=scan.source, column=f.column,
                          kind=f.kind, personal=f.personal, count=f.count, rows=f.rows,
                          samples=f.samples)
        model.Session.add(finding)
        made.append(finding)
    scan.status, scan.rows, scan.bytes, scan.seconds = "done", rows, size, seconds
    scan.finished_at = _utcnow()
    model.Session.commit()
    personal = [f for f in made if f.personal]
    if personal:
        _act_on_findings(scan, personal)
    return made


def _act_on_findings(scan: Scan, personal: list[Finding]) -> None:
    """Art 26: a published dataset is withdrawn at once (review workflow: private, event,
    notices to supervisors and agency); otherwise the agency is told."""
    pkg = model.Package.get(scan.package_id)
    res = model.Resource.get(scan.resource_id)
    if pkg is None or res is None:
        return
    summary = "；".join(f"{f.column}：{_(KIND_LABELS[f.kind])} {f.count}" for f in personal)
    reason = _("Personal data found by the automatic scan in %(resource)s (%(summary)s); "
               "withdrawn from public access until the agency resolves the findings "
               "(Art 14, 26)") % {"resource": res.name or res.id, "summary": summary}
    status = review.current_values(pkg)["review_status"]
    if status == "published":
        try:
            tk.get_action("lyg_opendata_review_withdraw")(
                {"user": _site_user(), "ignore_auth": True}, {"id": pkg.id, "reason": reason})
            return
        except tk.ValidationError:
            log.exception("could not withdraw %s after a scan finding", pkg.name)
    subject = _("Personal data found in a file of %s") % (pkg.title or pkg.name)
    users = notify.agency_staff(pkg.owner_org) if pkg.owner_org else []
    notify.notify_users(users, subject, "\n\n".join([subject, reason, notify.dataset_url(pkg)]))


# --- what blocks review ---------------------------------------------------------------------

def blocking_findings(package_id: str) -> list[Finding]:
    """Open personal findings of the dataset's active resources."""
    return model.Session.query(Finding).join(
        model.Resource, model.Resource.id == Finding.resource_id).filter(
        Finding.package_id == package_id, Finding.status == "open",
        Finding.personal.is_(True), model.Resource.state == "active").order_by(
        Finding.created).all()


def check_review(package_id: str, action: str) -> None:
    """A check of review.transition (registered below): submission and approval wait for
    the findings."""
    if action not in ("submit", "approve"):
        return
    open_findings = blocking_findings(package_id)
    if not open_findings:
        return
    names = []
    for f in open_findings:
        res = model.Resource.get(f.resource_id)
        label = f"{res.name if res else f.resource_id}（{f.column}：{_(KIND_LABELS[f.kind])}）"
        if label not in names:
            names.append(label)
    model.Session.rollback()
    raise tk.ValidationError({"resources": [
        _("The personal-data scan found personal information in %s. Replace the file, or "
          "mark each finding as a false positive with a reason, before it goes further.")
        % "、".join(names)]})


# --- dictizing ------------------------------------------------------------------------------

def finding_dict(f: Finding) -> dict[str, Any]:
    resolver = model.Session.get(model.User, f.resolved_by) if f.resolved_by else None
    return {
        "id": f.id, "resource_id": f.resource_id, "package_id": f.package_id,
        "source": f.source, "source_label": _(SOURCE_LABELS.get(f.source, f.source)),
        "column": f.column, "kind": f.kind, "kind_label": _(KIND_LABELS.get(f.kind, f.kind)),
        "personal": f.personal, "count": f.count, "rows": f.rows, "samples": list(f.samples or []),
        "status": f.status, "reason": f.reason,
        "resolved_by": resolver.name if resolver else None,
        "resolved_at": f.resolved_at.isoformat() if f.resolved_at else None,
        "created": f.created.isoformat() if f.created else None,
    }


def scan_dict(s: Scan) -> dict[str, Any]:
    return {"id": s.id, "resource_id": s.resource_id, "source": s.source, "status": s.status,
            "error": s.error, "rows": s.rows, "bytes": s.bytes, "seconds": s.seconds,
            "created": s.created.isoformat() if s.created else None,
            "finished_at": s.finished_at.isoformat() if s.finished_at else None}


def findings_for(package_id: str, resource_id: Optional[str] = None) -> dict[str, Any]:
    """The latest scans and the current (not superseded) findings of a dataset's resources."""
    q = model.Session.query(Finding).join(
        model.Resource, model.Resource.id == Finding.resource_id).filter(
        Finding.package_id == package_id, Finding.status != "superseded",
        model.Resource.state == "active")
    if resource_id:
        q = q.filter(Finding.resource_id == resource_id)
    scans = []
    res_ids = [resource_id] if resource_id else [
        r.id for r in model.Session.query(model.Resource.id).filter(
            model.Resource.package_id == package_id, model.Resource.state == "active")]
    for rid in res_ids:
        for source in ("file", "datastore"):
            s = latest_scan(rid, source)
            if s is not None:
                scans.append(scan_dict(s))
    findings = [finding_dict(f) for f in q.order_by(Finding.created, Finding.column)]
    return {"scans": scans, "findings": findings,
            "blocking": sum(1 for f in findings if f["personal"] and f["status"] == "open")}


if check_review not in review.TRANSITION_CHECKS:
    review.TRANSITION_CHECKS.append(check_review)
