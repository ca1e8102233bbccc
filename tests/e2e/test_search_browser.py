"""A person types a Chinese query into the home page's search box and finds the datasets."""
import pytest

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_chinese_query_in_home_search_box_finds_datasets(published_dataset, live_server, page):
    published_dataset(name="e2e-parking", title="连云港市机动车停车场管理办法")
    published_dataset(name="e2e-water", title="连云港市节约用水管理办法")
    published_dataset(name="e2e-outage", title="连云港市大面积停电事件应急预案")

    page.goto(live_server + "/")
    box = page.locator("form.search-giant input[name=q], input#field-main-search, input[name=q]").first
    box.fill("停车")
    box.press("Enter")
    page.wait_for_url("**/dataset/**")

    results = page.locator(".dataset-list .dataset-heading")
    titles = [t.strip() for t in results.all_inner_texts()]
    assert any("连云港市机动车停车场管理办法" in t for t in titles), titles
    assert not any("停电" in t or "用水" in t for t in titles), titles
    assert "停车" in page.locator("h1, h2").filter(has_text="数据集").first.inner_text()
