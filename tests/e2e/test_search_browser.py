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


def test_han_and_number_query_with_suggestions_in_home_search_box(published_dataset, live_server, page):
    """工信局2020 (Han text running into a year) in the home page's box: the suggestions
    list offers the title while typing, and the search finds it (issue 16)."""
    from tests.conftest import ARTIFACTS
    published_dataset(name="e2e-gxj", title="市工信局2020年上半年工作总结")
    published_dataset(name="e2e-gxj-2019", title="市工信局2019年工作总结")
    published_dataset(name="e2e-report", title="连云港市政府工作报告（2006—2020年）")

    page.goto(live_server + "/")
    box = page.locator("#lyg-home-search, #field-main-search").first   # not the header's
    box.press_sequentially("工信局2020", delay=30)
    option = page.locator("ul.lyg-suggest li a")
    option.first.wait_for()
    assert option.all_inner_texts() == ["市工信局2020年上半年工作总结"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search-suggest-gxj2020.png"))

    box.press("Enter")
    page.wait_for_url("**/dataset/**")
    titles = [t.strip() for t in page.locator(".dataset-list .dataset-heading").all_inner_texts()]
    assert any("市工信局2020年上半年工作总结" in t for t in titles), titles
    assert not any("2019" in t or "报告" in t for t in titles), titles
    page.screenshot(path=str(ARTIFACTS / "search-results-gxj2020.png"), full_page=True)

    # keyboard: choose the suggestion and open the dataset
    box = page.locator("form#dataset-search-form input[name=q]")
    box.fill("")
    box.press_sequentially("tcc报告", delay=30)   # nothing: the list stays closed
    box.fill("")
    box.press_sequentially("2006", delay=30)
    page.locator("ul.lyg-suggest li a").first.wait_for()
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url("**/dataset/e2e-report")
