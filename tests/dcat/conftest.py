"""Fixtures of the DCAT tests: a dataset with every catalog field filled in."""
import pytest

CSV_URL = "http://files.lyg-opendata.invalid/parking/2025.csv"
API_URL = "http://api.lyg-opendata.invalid/v1/parking"

FULL_ITEMS = [
    {"name_zh": "停车场名称", "code": "parking_name", "type": "string",
     "description": "停车场的登记名称", "sensitive": "no"},
    {"name_zh": "泊位数", "code": "spaces", "type": "integer", "description": "", "sensitive": "no"},
    {"name_zh": "收费标准", "code": "fee_code", "type": "code",
     "description": "按物价部门码表", "sensitive": "desensitized"},
]


def full_fields(**kwargs):
    """Every catalog field of the schema, with values that differ from the defaults."""
    data = {
        "name": "lyg-parking", "title": "连云港市公共停车场信息", "notes": "全市公共停车场的位置、泊位和收费标准。",
        "open_type": "unconditional", "update_frequency": "semiannual",
        "data_items": [dict(i) for i in FULL_ITEMS], "data_grade": "grade2",
        "subject_areas": ["transport", "daily_life"], "data_updated": "2025-03-01",
        "temporal_start": "2024-01-01", "temporal_end": "2024-12-31",
        "spatial_coverage": "连云港市市区", "resource_code": "LYG-JT/0001",
        "maintainer": "数据开放科", "maintainer_email": "data@lyg-opendata.invalid",
        "url": "http://www.lyg-opendata.invalid/parking", "license_id": "cc-by",
        "tag_string": "停车,交通",
        "resources": [
            {"name": "2025年停车场名录", "description": "CSV 文件", "url": CSV_URL, "format": "csv"},
            {"name": "停车场实时泊位接口", "url": API_URL, "format": "API"},
        ],
    }
    data.update(kwargs)
    return data


@pytest.fixture
def full_dataset(published_dataset):
    def create(**kwargs):
        return published_dataset(**full_fields(**kwargs))
    return create
