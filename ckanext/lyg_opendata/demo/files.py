"""The demo's data files, generated reproducibly (a seed per dataset): CSV, XLSX, JSON,
GeoJSON and PDF with plausible content for each demo dataset, built from its 数据项
(``data_items``: the column codes are the files' headers, so the data dictionary takes its
labels from the catalog entry).

Nothing here is real data: names, addresses and figures are made up from fixed lists.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import zlib
from typing import Any, Callable

# --- plausible values ----------------------------------------------------------------------

REGIONS = ["海州区", "连云区", "赣榆区", "东海县", "灌云县", "灌南县", "徐圩新区", "开发区"]
ROADS = ["海连中路", "朝阳东路", "通灌北路", "郁州南路", "解放中路", "巨龙北路", "苍梧路",
         "新浦路", "花果山大道", "港城大道", "瀛洲路", "秦东门大街", "陇海步行街", "凌州路"]
PLACES = ["苏宁广场", "万达广场", "市第一人民医院", "连云港站", "花果山景区", "市民广场",
          "海州古城", "体育中心", "市图书馆", "墟沟港区", "新海实验中学", "妇幼保健院",
          "科教创业园", "东方医院", "云台山景区", "海滨浴场", "金鹰购物中心", "市政务服务中心"]
COMPANIES = ["连云港港口集团有限公司", "江苏恒瑞医药股份有限公司", "连云港石化有限公司",
             "江苏斯尔邦石化有限公司", "连云港碱业有限公司", "江苏新海发电有限公司",
             "连云港华乐合金集团有限公司", "江苏德邦兴华化工股份有限公司",
             "连云港中复连众复合材料集团有限公司", "江苏正大天晴药业股份有限公司",
             "连云港市自来水有限责任公司", "江苏虹港石化有限公司"]
COURIERS = ["顺丰速运", "中国邮政", "京东物流", "中通快递", "圆通速递", "申通快递", "韵达速递",
            "极兔速递", "德邦快递"]
AGENCIES = ["市发展改革委", "市工业和信息化局", "市交通运输局", "市住房城乡建设局",
            "市生态环境局", "市大数据管理局", "市商务局", "市水利局"]
PROJECTS = ["连云港港30万吨级航道二期工程", "连徐高铁连云港段配套工程", "徐圩新区污水处理厂",
            "市第一人民医院新院区", "海州湾生态修复工程", "新浦磷矿遗址公园", "花果山机场配套道路",
            "市区老旧小区改造", "城市智慧停车平台", "东海县农村供水提升工程",
            "灌河口航道整治工程", "市公共数据开放平台二期"]
INDICATORS = ["地区生产总值", "一般公共预算收入", "规上工业增加值增速", "社会消费品零售总额",
              "港口货物吞吐量", "常住人口城镇化率", "研发经费投入占比", "单位GDP能耗下降",
              "空气质量优良天数比率", "城镇居民人均可支配收入", "农村居民人均可支配收入",
              "每千人口执业医师数"]
TOPICS = ["审议《连云港市公共数据开放管理办法》", "研究部署安全生产工作", "听取重点项目推进情况汇报",
          "研究城市更新实施方案", "审议政府工作报告征求意见稿", "研究优化营商环境若干措施",
          "听取污染防治攻坚战工作汇报", "研究防汛抗旱工作", "审议市区停车设施建设规划",
          "研究民生实事项目"]
EVENTS = ["市政府召开全市经济运行调度会", "连云港港新开国际集装箱航线", "市政府与省属企业签署合作协议",
          "全市优化营商环境大会召开", "海州湾国家级海洋牧场示范区通过验收", "市民中心政务服务大厅投入使用",
          "徐圩新区重大石化项目投产", "市区新增公共停车泊位三千个", "全市防汛防台工作会议召开",
          "公共数据开放平台上线运行"]
MEASURES = ["停止使用燃煤锅炉", "生产线限产30%", "停止露天作业", "物料运输车辆错峰运输",
            "加强道路洒水保洁", "停止喷涂作业"]


def _rng(name: str) -> random.Random:
    """One reproducible generator per dataset (zlib.crc32: stable across runs and machines)."""
    return random.Random(zlib.crc32(name.encode("utf-8")))


def _phone(rng: random.Random) -> str:
    return f"0518-{rng.randint(8000_0000, 8599_9999)}"


def _address(rng: random.Random) -> str:
    return f"连云港市{rng.choice(REGIONS)}{rng.choice(ROADS)}{rng.randint(1, 299)}号"


def _uscc(rng: random.Random) -> str:
    """A 统一社会信用代码 with a valid GB 32100 check character (stdnum.cn.uscc)."""
    from stdnum.cn import uscc
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = ("913207" + "".join(rng.choice("0123456789") for _ in range(2))
            + "".join(rng.choice(alphabet) for _ in range(9)))
    return body + uscc.calc_check_digit(body)


# a value for a column, by its code (else by its type)
def _value(code: str, kind: str, i: int, rng: random.Random, name_zh: str,
           codes: set[str]) -> Any:
    special: dict[str, Callable[[], Any]] = {
        "parking_name": lambda: f"{PLACES[i % len(PLACES)]}{'地下' if i % 3 else '地面'}停车场",
        "address": lambda: _address(rng),
        "spaces": lambda: rng.randrange(40, 1200, 10),
        "fee": lambda: f"首小时{rng.choice([3, 4, 5])}元，之后每小时{rng.choice([1, 2, 3])}元",
        "lng": lambda: round(119.15 + rng.random() * 0.35, 6),
        "lat": lambda: round(34.55 + rng.random() * 0.2, 6),
        "org_name": lambda: COMPANIES[i % len(COMPANIES)],
        "company": lambda: (COMPANIES if "measure" in codes else COURIERS)[i % 9],
        "credit_code": lambda: _uscc(rng),
        "institution": lambda: f"连云港市{rng.choice(REGIONS)}{rng.choice(['人民医院', '中医院', '社区卫生服务中心', '妇幼保健院', '口腔医院'])}",
        "level": lambda: rng.choice(["三级甲等", "二级甲等", "二级乙等", "一级"]),
        "phone": lambda: _phone(rng),
        "outlet": lambda: f"{rng.choice(REGIONS)}{rng.choice(ROADS)}营业部",
        "event_date": lambda: (dt.date(2020, 1, 6) + dt.timedelta(days=17 * i)).isoformat(),
        "event": lambda: EVENTS[i % len(EVENTS)],
        "session": lambda: f"市十四届政府第{i + 1}次常务会议",
        "meeting_date": lambda: (dt.date(2022, 1, 14) + dt.timedelta(days=21 * i)).isoformat(),
        "topic": lambda: TOPICS[i % len(TOPICS)],
        "indicator": lambda: INDICATORS[i % len(INDICATORS)],
        "attribute": lambda: rng.choice(["预期性", "约束性"]),
        "project": lambda: PROJECTS[i % len(PROJECTS)],
        "builder": lambda: rng.choice(AGENCIES),
        "progress": lambda: rng.choice(["前期工作", "主体施工", "竣工验收", "已投入使用"]),
        "region": lambda: REGIONS[i % len(REGIONS)],
        "quarter": lambda: f"{2021 + i // 32}年第{(i // 8) % 4 + 1}季度",
        "year": lambda: 2016 + i // len(REGIONS) if "region" in codes else 2011 + i,
        "month": lambda: f"{2023 + i // 12}-{i % 12 + 1:02d}",
        "station": lambda: f"{rng.choice(['连云港', '海州湾', '灌河口', '前三岛', '埒子口'])}{i % 9 + 1}号点位",
        "observed_at": lambda: (dt.datetime(2026, 3, 1, 9) + dt.timedelta(days=15 * i)).isoformat(),
        "grade": lambda: rng.choice(["一类", "一类", "二类", "二类", "三类"]),
        "measure": lambda: rng.choice(MEASURES),
        "alert": lambda: rng.choice(["黄色预警", "橙色预警", "红色预警"]),
        "route": lambda: f"{rng.choice([1, 2, 5, 6, 8, 10, 11, 16, 18, 21, 32, 36, 52])}路",
        "stop": lambda: f"{PLACES[i % len(PLACES)]}站",
        "first_bus": lambda: f"0{rng.randint(5, 6)}:{rng.choice(['00', '15', '30', '45'])}",
        "last_bus": lambda: f"{rng.randint(19, 22)}:{rng.choice(['00', '15', '30', '45'])}",
        "title": lambda: f"{rng.choice(AGENCIES)}{rng.choice(['行政许可', '公共服务', '统计'])}数据",
        "publisher": lambda: rng.choice(AGENCIES),
        "open_type": lambda: rng.choice(["unconditional", "conditional"]),
        "frequency": lambda: rng.choice(["monthly", "quarterly", "annual"]),
    }
    if code in special:
        return special[code]()
    if kind == "integer":
        return rng.randint(10, 5000)
    if kind == "decimal":
        return round(rng.uniform(10, 2000), 2)
    if kind == "date":
        return (dt.date(2024, 1, 1) + dt.timedelta(days=11 * i)).isoformat()
    if kind == "datetime":
        return (dt.datetime(2024, 1, 1, 8) + dt.timedelta(hours=13 * i)).isoformat()
    return f"{name_zh}{i + 1}"


def rows(dataset: dict[str, Any], n: int = 24) -> tuple[list[str], list[list[Any]]]:
    """The header (the 数据项 codes) and ``n`` rows for a demo dataset."""
    rng = _rng(dataset["name"])
    items = dataset.get("data_items") or [{"code": "name", "type": "string", "name_zh": "名称"}]
    header = [it["code"] for it in items]
    body = []
    for i in range(n):
        row = [_value(it["code"], it.get("type", "string"), i, rng, it.get("name_zh", ""),
                      set(header)) for it in items]
        body.append(row)
    # figures that belong together: completed ≤ investment, GDP = sum of its parts
    if {"investment", "completed"} <= set(header):
        a, b = header.index("investment"), header.index("completed")
        for row in body:
            row[b] = round(row[a] * rng.uniform(0.2, 1.0), 2)
    if {"gdp", "primary", "secondary", "tertiary"} <= set(header):
        g, p, s, t = (header.index(c) for c in ("gdp", "primary", "secondary", "tertiary"))
        for row in body:
            row[p], row[s] = round(rng.uniform(40, 90), 2), round(rng.uniform(300, 500), 2)
            row[t] = round(rng.uniform(350, 600), 2)
            row[g] = round(row[p] + row[s] + row[t], 2)
    return header, body


# --- file formats -----------------------------------------------------------------------------

def to_csv(header: list[str], body: list[list[Any]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(body)
    return out.getvalue().encode(encoding)


def to_xlsx(header: list[str], body: list[list[Any]], sheet: str = "数据") -> bytes:
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    ws.append(header)
    for row in body:
        ws.append(row)
    fixed = dt.datetime(2026, 1, 1)
    wb.properties.created = wb.properties.modified = fixed
    wb.properties.creator = "连云港市公共数据开放平台"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_json(header: list[str], body: list[list[Any]]) -> bytes:
    records = [dict(zip(header, row)) for row in body]
    return json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8")


def to_geojson(header: list[str], body: list[list[Any]]) -> bytes:
    lng, lat = header.index("lng"), header.index("lat")
    features = [{"type": "Feature",
                 "geometry": {"type": "Point", "coordinates": [row[lng], row[lat]]},
                 "properties": {h: v for h, v in zip(header, row) if h not in ("lng", "lat")}}
                for row in body]
    return json.dumps({"type": "FeatureCollection", "features": features},
                      ensure_ascii=False, indent=1).encode("utf-8")


def to_pdf(title: str, paragraphs: list[str]) -> bytes:
    """A small PDF with Chinese text (the agreement PDF's font), reproducible (invariant)."""
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
    from xml.sax.saxutils import escape

    from ckanext.lyg_opendata.access.agreements.pdf import font_name
    font = font_name()
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=18, wordWrap="CJK",
                          firstLineIndent=22)
    head = ParagraphStyle("head", parent=body, fontSize=16, leading=26, alignment=TA_CENTER,
                          firstLineIndent=0, spaceAfter=10)
    story: list = [Paragraph(escape(title), head)]
    for text in paragraphs:
        story += [Paragraph(escape(text), body), Spacer(1, 4)]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm,
                      topMargin=22 * mm, bottomMargin=22 * mm, title=title,
                      author="连云港市公共数据开放平台", invariant=1).build(story)
    return buffer.getvalue()


def _pdf_paragraphs(dataset: dict[str, Any], resource: dict[str, Any]) -> list[str]:
    notes = [line.strip() for line in (dataset.get("notes") or "").splitlines() if line.strip()]
    header, body = rows(dataset, 6)
    items = {it["code"]: it["name_zh"] for it in dataset.get("data_items") or []}
    lines = [f"第{n}条　" + "；".join(f"{items.get(h, h)}：{v}" for h, v in zip(header, row))
             for n, row in enumerate(body, 1)]
    return notes[:1] + [f"本文件为“{resource['name']}”的示例文本，由平台演示数据生成，"
                        "内容为虚构，仅用于展示预览与下载功能。"] + lines


SLUG = {"CSV": "csv", "XLSX": "xlsx", "JSON": "json", "GEOJSON": "geojson", "PDF": "pdf"}
MIMETYPES = {"CSV": "text/csv", "XLSX": "application/vnd.openxmlformats-officedocument."
             "spreadsheetml.sheet", "JSON": "application/json",
             "GEOJSON": "application/geo+json", "PDF": "application/pdf"}


def file_for(dataset: dict[str, Any], resource: dict[str, Any], index: int = 0
             ) -> tuple[str, bytes] | None:
    """(file name, bytes) of a demo resource, or None for a real external service (API)."""
    fmt = (resource.get("format") or "").upper()
    if fmt not in SLUG:
        return None
    name = f"{dataset['name']}-{index + 1}.{SLUG[fmt]}"
    if fmt == "PDF":
        return name, to_pdf(resource["name"], _pdf_paragraphs(dataset, resource))
    header, body = rows(dataset)
    if fmt == "CSV":
        return name, to_csv(header, body)
    if fmt == "XLSX":
        return name, to_xlsx(header, body, resource["name"])
    if fmt == "GEOJSON":
        return name, to_geojson(header, body)
    return name, to_json(header, body)
