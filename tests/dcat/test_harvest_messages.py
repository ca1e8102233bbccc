"""Job-report messages in the reader's language (issue 13): the harvester stores a gather or
object error as a msgid and its parameters; the job report, the job page, the object and
the source's status show it in the request's language (Chinese by default, English under
``/en/``). Messages stored by others are shown as stored."""
import json

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestObject, HarvestObjectError
from ckanext.lyg_opendata.dcat import messages
from ckanext.lyg_opendata.dcat.messages import Message

from . import third_party as tp
from .conftest import HARVEST_PLUGINS

pytestmark = [pytest.mark.ckan_config("ckan.plugins", HARVEST_PLUGINS),
              pytest.mark.usefixtures("with_plugins", "harvest_db", "clean_index")]

UNTITLED = "https://data.county.example/dataset/untitled"
CATALOG = f"""@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<https://data.county.example/dataset/bus> a dcat:Dataset ; dct:title "公交线路"@zh ;
  dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> .
<{UNTITLED}> a dcat:Dataset ;
  dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> .
""".encode()

NO_TITLE_EN = (f"Dataset {UNTITLED} has no title (dct:title): not imported; the other datasets "
               f"of the source are.")
NO_TITLE_ZH = f"数据集 {UNTITLED} 没有标题（dct:title）：未导入；该采集源的其他数据集照常导入。"


@pytest.fixture
def county(sysadmin):
    return factories.Organization(name="county-dh", title="东海县数据局",
                                  users=[{"name": sysadmin["name"], "capacity": "admin"}])


@pytest.fixture
def object_job(rdf_server, county, sysadmin):
    """A job with one imported dataset and one object error (no title)."""
    base, documents = rdf_server
    tp.serve(documents, "/catalog.ttl", CATALOG)
    src = tp.source(base + "/catalog.ttl", county, sysadmin, "county-portal")
    job_id, results = tp.run(src, sysadmin)
    assert len(results) == 1
    return src, job_id


@pytest.fixture
def gather_job(rdf_server, county, sysadmin):
    """A job whose source answers with a catalog that lists no dataset (a gather error)."""
    base, documents = rdf_server
    tp.serve(documents, "/empty.ttl", b"@prefix dcat: <http://www.w3.org/ns/dcat#> .\n")
    src = tp.source(base + "/empty.ttl", county, sysadmin, "empty-portal")
    job_id, results = tp.run(src, sysadmin)
    assert results == {}
    return src, job_id, base + "/empty.ttl"


def api(app, action, token, lang=""):
    prefix = f"/{lang}" if lang else ""
    response = app.get(f"{prefix}/api/3/action/{action[0]}", query_string=action[1],
                       headers={"Authorization": token})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json["result"]


def test_stored_as_a_msgid_and_its_parameters(object_job):
    _, job_id = object_job
    (stored,) = [m for (m,) in model.Session.query(HarvestObjectError.message).join(
        HarvestObject).filter(HarvestObject.harvest_job_id == job_id)]
    assert stored.startswith(messages.PREFIX)
    assert json.loads(stored[len(messages.PREFIX):]) == {
        "msgid": "Dataset %(guid)s has no title (%(property)s): not imported; the other "
                 "datasets of the source are.",
        "params": {"guid": UNTITLED, "property": "dct:title"}}


def test_object_errors_in_the_request_language(app, object_job, sysadmin):
    src, job_id = object_job
    token = sysadmin["token"]
    for lang, expected in (("", NO_TITLE_ZH), ("en", NO_TITLE_EN)):
        report = api(app, ("harvest_job_report", {"id": job_id}), token, lang)
        (obj_id, obj), = report["object_errors"].items()
        assert [e["message"] for e in obj["errors"]] == [expected]
        job = api(app, ("harvest_job_show", {"id": job_id}), token, lang)
        assert job["object_error_summary"] == [{"message": expected, "error_count": 1}]
        shown = api(app, ("harvest_object_show", {"id": obj_id}), token, lang)
        assert [e["message"] for e in shown["errors"]] == [expected]
        # the job page (ckanext-harvest's template, unchanged)
        page = app.get(f"{'/en' if lang else ''}/harvest/{src['name']}/job/{job_id}",
                       headers={"Authorization": token}).get_data(as_text=True)
        assert expected in page and messages.PREFIX not in page


def test_gather_errors_in_the_request_language(app, gather_job, sysadmin):
    src, job_id, url = gather_job
    token = sysadmin["token"]
    zh = api(app, ("harvest_job_report", {"id": job_id}), token)["gather_errors"]
    en = api(app, ("harvest_job_report", {"id": job_id}), token, "en")["gather_errors"]
    assert [e["message"] for e in en] == [
        f"The catalog at {url} lists no datasets: nothing was imported, updated or deleted "
        f"by this job (an empty answer never deletes entries)."]
    assert [e["message"] for e in zh] == [
        f"{url} 的目录没有列出任何数据集：本次采集任务没有导入、更新或删除任何条目"
        f"（空的答复从不删除条目）。"]
    # the source's status (its page) has the last job's summary in the same language
    status = api(app, ("harvest_source_show_status", {"id": src["id"]}), token)
    assert status["last_job"]["gather_error_summary"] == [
        {"message": zh[0]["message"], "error_count": 1}]
    page = app.get(f"/harvest/{src['name']}/job/{job_id}",
                   headers={"Authorization": token}).get_data(as_text=True)
    assert zh[0]["message"] in page


def test_nested_reasons_and_validation_summaries_are_translated(app):
    """A fetch error inside a gather error, and a validation error's fields and messages."""
    nested = Message("Could not harvest %(url)s: %(reason)s", url="http://x.example/c.ttl",
                     reason=Message("Refused a JSON-LD %(keyword)s: remote contexts are never "
                                    "fetched", keyword="@import"))
    invalid = Message("Create validation error: %(errors)s", errors={"Name": ["Missing value"]})
    with app.flask_app.test_request_context(environ_overrides={"CKAN_LANG": "en"}):
        assert messages.render(nested.stored()) == (
            "Could not harvest http://x.example/c.ttl: Refused a JSON-LD @import: remote "
            "contexts are never fetched")
        assert messages.render(invalid.stored()) == "Create validation error: Name: Missing value"
    with app.flask_app.test_request_context():   # the default language
        assert messages.render(nested.stored()) == (
            "无法采集 http://x.example/c.ttl：已拒绝 JSON-LD @import：从不获取远程上下文")
        rendered = messages.render(invalid.stored())
        assert rendered.startswith("创建时校验出错：") and "Missing value" not in rendered
        assert rendered == f"创建时校验出错：{tk._('Name')}: {tk._('Missing value')}"
    assert str(nested) == ("Could not harvest http://x.example/c.ttl: Refused a JSON-LD "
                           "@import: remote contexts are never fetched")


def test_messages_stored_by_others_are_shown_as_stored(app, object_job, sysadmin):
    """ckanext-harvest's own messages (a job timeout) and rows written before are text."""
    _, job_id = object_job
    text = f"Job {job_id} timeout (60 minutes)\n"
    HarvestGatherError.create(text, model.Session.get(HarvestJob, job_id))
    for lang in ("", "en"):
        errors = api(app, ("harvest_job_report", {"id": job_id}), sysadmin["token"], lang)
        assert [e["message"] for e in errors["gather_errors"]] == [text]
