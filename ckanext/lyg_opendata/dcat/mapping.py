"""How the catalog's code lists (``vocab``) meet the RDF vocabularies of DCAT-AP.

Each table maps one of our codes to an IRI of the EU Publications Office's authority
tables (checked against ``vocabularies/eu-authority-tables.ttl``) or to a term of this
project's own namespace ``LYG``. The profile reads these tables both ways.
"""
from __future__ import annotations

from rdflib import Namespace

EU = "http://publications.europa.eu/resource/authority/"
ACCESS_RIGHT = Namespace(EU + "access-right/")
FREQUENCY = Namespace(EU + "frequency/")
LANGUAGE = Namespace(EU + "language/")
FILE_TYPE = Namespace(EU + "file-type/")
DATA_THEME = Namespace(EU + "data-theme/")
IANA = "https://www.iana.org/assignments/media-types/"

# This project's terms: an identifier, not (yet) a dereferenceable page. Documented in the
# README ("DCAT and harvesting"). Never change it: harvesters store these IRIs.
LYG_NS = "https://opendata.lyg.gov.cn/ns/opendata#"
LYG = Namespace(LYG_NS)
SUBJECT_AREA_SCHEME = "https://opendata.lyg.gov.cn/ns/subject-area"
SUBJECT_AREA = Namespace(SUBJECT_AREA_SCHEME + "/")
CSVW = Namespace("http://www.w3.org/ns/csvw#")

# 开放类型 → access right (Art 6)
OPEN_TYPE_ACCESS_RIGHT = {
    "unconditional": ACCESS_RIGHT.PUBLIC,
    "conditional": ACCESS_RIGHT.RESTRICTED,
    "non_open": ACCESS_RIGHT.NON_PUBLIC,
}

# 更新频度 → frequency (Art 15)
FREQUENCY_IRI = {
    "realtime": FREQUENCY.UPDATE_CONT,
    "daily": FREQUENCY.DAILY,
    "weekly": FREQUENCY.WEEKLY,
    "monthly": FREQUENCY.MONTHLY,
    "quarterly": FREQUENCY.QUARTERLY,
    "semiannual": FREQUENCY.ANNUAL_2,
    "annual": FREQUENCY.ANNUAL,
    "irregular": FREQUENCY.IRREG,
    "never": FREQUENCY.NEVER,
}
# read back: the codes above, plus the older "continuous" code
FREQUENCY_CODE = {str(iri): code for code, iri in FREQUENCY_IRI.items()}
FREQUENCY_CODE[str(FREQUENCY.CONT)] = "realtime"

# 数据领域 → EU data theme, only where the EU theme honestly covers the area; areas with
# no honest counterpart (生活服务, 其他) carry their own concept only.
SUBJECT_AREA_THEMES = {
    "economy": ["ECON"],
    "transport": ["TRAN"],
    "education_science": ["EDUC", "TECH"],
    "health": ["HEAL"],
    "social_security": ["SOCI"],
    "environment": ["ENVI"],
    "housing": ["REGI"],
    "public_safety": ["JUST"],
    "culture_leisure": ["EDUC"],
    "institutions": ["GOVE"],
    "credit": ["ECON"],
    "agriculture": ["AGRI"],
    "finance": ["ECON"],
    "weather": ["ENVI"],
    "daily_life": [],
    "other": [],
}
# read back from a catalog that only has EU themes: one area per theme
THEME_SUBJECT_AREA = {
    "ECON": "economy", "TRAN": "transport", "EDUC": "education_science",
    "TECH": "education_science", "HEAL": "health", "SOCI": "social_security",
    "ENVI": "environment", "REGI": "housing", "JUST": "public_safety",
    "GOVE": "institutions", "AGRI": "agriculture",
}

# resource format (normalised by the schema) → (EU file type, IANA media type)
FORMATS = {
    "CSV": ("CSV", "text/csv"),
    "TSV": ("TSV", "text/tab-separated-values"),
    "XLSX": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "XLS": ("XLS", "application/vnd.ms-excel"),
    "ODS": ("ODS", "application/vnd.oasis.opendocument.spreadsheet"),
    "JSON": ("JSON", "application/json"),
    "GEOJSON": ("GEOJSON", "application/geo+json"),
    "JSON-LD": ("JSON_LD", "application/ld+json"),
    "XML": ("XML", "application/xml"),
    "RDF": ("RDF_XML", "application/rdf+xml"),
    "TTL": ("RDF_TURTLE", "text/turtle"),
    "SHP": ("SHP", None),
    "KML": ("KML", "application/vnd.google-earth.kml+xml"),
    "KMZ": ("KMZ", "application/vnd.google-earth.kmz"),
    "GML": ("GML", "application/gml+xml"),
    "GPKG": ("GPKG", "application/geopackage+sqlite3"),
    "PARQUET": ("PARQUET", "application/vnd.apache.parquet"),
    "SQL": ("SQL", "application/sql"),
    "PDF": ("PDF", "application/pdf"),
    "DOCX": ("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "DOC": ("DOC", "application/msword"),
    "TXT": ("TXT", "text/plain"),
    "HTML": ("HTML", "text/html"),
    "ZIP": ("ZIP", "application/zip"),
    "WMS": ("WMS_SRVC", None),
    "WFS": ("WFS_SRVC", None),
}
FILE_TYPE_FORMAT = {str(FILE_TYPE[ft]): fmt for fmt, (ft, _) in FORMATS.items()}
MEDIA_TYPE_FORMAT = {IANA + mt: fmt for fmt, (_, mt) in FORMATS.items() if mt}
API_FORMATS = {"API"}

# data item type → XSD datatype given to the CSVW column (the exact code travels too)
DATA_TYPE_XSD = {
    "string": "string", "integer": "integer", "decimal": "decimal", "date": "date",
    "datetime": "dateTime", "boolean": "boolean", "code": "string", "geometry": "string",
    "binary": "base64Binary",
}


def subject_area_iri(code: str):
    return SUBJECT_AREA[code]


def subject_area_code(iri: str):
    if iri.startswith(SUBJECT_AREA_SCHEME + "/"):
        return iri[len(SUBJECT_AREA_SCHEME) + 1:]
    return None
