"""The catalog schema: required fields, conditional requirements, data items, choices,
codes and formats give field-level errors; multi-valued fields facet per value."""
import pytest

import ckan.plugins.toolkit as tk

from tests.conftest import catalog_fields

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def create_errors(sysadmin, agency, **kwargs):
    data = catalog_fields(owner_org=agency["id"], name="x-ds", title="测试", **kwargs)
    for key in [k for k, v in kwargs.items() if v is None]:
        data.pop(key)
    with pytest.raises(tk.ValidationError) as exc:
        tk.get_action("package_create")({"user": sysadmin["name"]}, data)
    return exc.value.error_dict


@pytest.mark.parametrize("field", ["open_type", "update_frequency", "notes"])
def test_required_fields(sysadmin, agency, field):
    errors = create_errors(sysadmin, agency, **{field: None})
    assert field in errors


def test_data_items_at_least_one(sysadmin, agency):
    errors = create_errors(sysadmin, agency, data_items=[])
    assert "data_items" in errors


def test_conditional_requires_open_conditions(sysadmin, agency):
    errors = create_errors(sysadmin, agency, open_type="conditional")
    assert "open_conditions" in errors and "non_open_basis" not in errors


def test_non_open_requires_basis_and_reason(sysadmin, agency):
    errors = create_errors(sysadmin, agency, open_type="non_open")
    assert set(errors) >= {"non_open_basis", "non_open_reason"}
    errors = create_errors(sysadmin, agency, open_type="non_open", non_open_basis="nonsense",
                           non_open_reason="x")
    assert "non_open_basis" in errors


@pytest.mark.parametrize("field,value", [("open_type", "open"), ("update_frequency", "hourly"),
                                         ("data_grade", "grade9"), ("subject_areas", ["space"])])
def test_bad_choices(sysadmin, agency, field, value):
    assert field in create_errors(sysadmin, agency, **{field: value})


def test_data_item_code_format_and_uniqueness(sysadmin, agency):
    items = [{"name_zh": "名称", "code": "Name-1", "type": "string", "sensitive": "no"}]
    errors = create_errors(sysadmin, agency, data_items=items)
    assert "code" in errors["data_items"][0]
    items = [{"name_zh": "名称", "code": "name", "type": "string", "sensitive": "no"},
             {"name_zh": "名字", "code": "name", "type": "string", "sensitive": "no"}]
    errors = create_errors(sysadmin, agency, data_items=items)
    assert "code" in errors["data_items"][1]
    items = [{"name_zh": "名称", "code": "name", "type": "text", "sensitive": "no"}]
    assert "type" in create_errors(sysadmin, agency, data_items=items)["data_items"][0]


def test_temporal_end_not_before_start(sysadmin, agency):
    errors = create_errors(sysadmin, agency, temporal_start="2025-01-01", temporal_end="2024-12-31")
    assert "temporal_end" in errors


def test_resource_code_pattern_and_uniqueness(sysadmin, agency, create_dataset):
    assert "resource_code" in create_errors(sysadmin, agency, resource_code="坏的 代码")
    create_dataset(name="first", resource_code="320700-JT-0001")
    assert "resource_code" in create_errors(sysadmin, agency, resource_code="320700-JT-0001")
    # the same dataset keeps its own code on update
    tk.get_action("package_patch")({"user": sysadmin["name"]}, {"id": "first", "title": "改名"})


def test_error_messages_are_translated(app, sysadmin, agency):
    data = catalog_fields(owner_org=agency["id"], name="x-ds", title="测试", open_type="conditional")
    headers = {"Authorization": sysadmin["token"]}
    zh = app.post("/api/3/action/package_create", json=data, headers=headers, status=409).json
    en = app.post("/en/api/3/action/package_create", json=data, headers=headers, status=409).json
    assert "开放条件" in zh["error"]["open_conditions"][0]
    assert "conditions of opening" in en["error"]["open_conditions"][0]


def test_formats_are_normalised_and_flagged(create_dataset):
    ds = create_dataset(name="fmt", resources=[
        {"url": "http://example.invalid/a.csv", "format": "csv"},
        {"url": "http://example.invalid/b", "format": "application/json"},
        {"url": "http://example.invalid/c.zip", "format": "Shapefile"},
        {"url": "http://example.invalid/d.pdf", "format": ".pdf"},
        {"url": "http://example.invalid/api", "format": "接口"},
    ])
    assert [r["format"] for r in ds["resources"]] == ["CSV", "JSON", "SHP", "PDF", "API"]
    assert [r["machine_readable"] for r in ds["resources"]] == [True, True, True, False, True]


def test_non_open_dataset_is_never_public(published_dataset):
    ds = published_dataset(name="secret", open_type="non_open", non_open_basis="state_secret",
                           non_open_reason="依法确定为国家秘密")
    assert ds["review_status"] == "published" and ds["private"] is True
    assert tk.get_action("package_search")({}, {"q": "name:secret"})["count"] == 0


def test_facets_count_each_subject_area_and_show_labels(published_dataset):
    published_dataset(name="ds-a", subject_areas=["transport", "economy"])
    published_dataset(name="ds-b", subject_areas=["transport"], open_type="conditional",
                      open_conditions="仅限科研")
    result = tk.get_action("package_search")({}, {
        "facet.field": '["subject_areas", "open_type", "update_frequency"]'})
    facets = result["search_facets"]
    areas = {i["name"]: (i["count"], i["display_name"]) for i in facets["subject_areas"]["items"]}
    assert areas == {"transport": (2, "道路交通"), "economy": (1, "经济建设")}
    types = {i["name"]: i["display_name"] for i in facets["open_type"]["items"]}
    assert types == {"unconditional": "无条件开放", "conditional": "有条件开放"}
    assert tk.get_action("package_search")({}, {"fq": 'subject_areas:"economy"'})["count"] == 1


def test_search_page_shows_catalog_facets_in_chinese(app, published_dataset):
    published_dataset(name="ds-a", subject_areas=["transport"])
    body = app.get("/dataset/").body
    for label in ("开放类型", "更新频度", "数据领域", "数据开放主体", "数据格式"):
        assert label in body
    assert "道路交通" in body and "无条件开放" in body


def test_dataset_page_shows_data_items_table(app, published_dataset):
    published_dataset(name="items", title="停车场", data_items=[
        {"name_zh": "停车场名称", "code": "parking_name", "type": "string", "sensitive": "no"},
        {"name_zh": "泊位数<script>", "code": "spaces", "type": "integer", "sensitive": "no"}])
    body = app.get("/dataset/items").body
    assert "停车场名称" in body and "parking_name" in body and "整数" in body
    assert "泊位数&lt;script&gt;" in body and "泊位数<script>" not in body


def test_simultaneous_creates_with_one_resource_code_leave_one_dataset(app, sysadmin, agency):
    """The validator cannot see a dataset another request is creating at the same moment;
    the database's unique index (migration 0003) turns the loser into the same field error."""
    import threading

    import ckan.model as model

    barrier = threading.Barrier(2)
    outcomes = []

    def create(name):
        with app.flask_app.test_request_context():
            try:
                data = catalog_fields(owner_org=agency["id"], name=name, title=name,
                                      resource_code="320700-SAME-0001")
                barrier.wait(10)
                tk.get_action("package_create")({"user": sysadmin["name"]}, data)
                outcomes.append("created")
            except tk.ValidationError as e:
                outcomes.append(sorted(e.error_dict))
            finally:
                model.Session.remove()

    threads = [threading.Thread(target=create, args=(n,)) for n in ("same-code-a", "same-code-b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes, key=str) == sorted(["created", ["resource_code"]], key=str)
    model.Session.remove()
    found = tk.get_action("package_search")({"ignore_auth": True}, {
        "q": "name:same-code-a OR name:same-code-b", "include_private": True})
    assert found["count"] == 1
