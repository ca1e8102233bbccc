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
# read only (never exported): the other EU frequencies and the Dublin Core Collection
# Description ones (http://purl.org/cld/freq/…), each to the code of this portal the update
# fits in ("at least …")
READ_FREQUENCY_CODE = dict(FREQUENCY_CODE)
for _eu, _code in {"1MIN": "realtime", "5MIN": "realtime", "10MIN": "realtime",
                   "15MIN": "realtime", "30MIN": "realtime", "HOURLY": "realtime",
                   "BIHOURLY": "realtime", "TRIHOURLY": "realtime", "12HRS": "daily",
                   "DAILY_2": "daily", "WEEKLY_2": "weekly", "WEEKLY_3": "weekly",
                   "BIWEEKLY": "monthly", "MONTHLY_2": "monthly", "MONTHLY_3": "monthly",
                   "BIMONTHLY": "quarterly", "ANNUAL_3": "semiannual", "BIENNIAL": "irregular",
                   "TRIENNIAL": "irregular", "QUADRENNIAL": "irregular",
                   "QUINQUENNIAL": "irregular", "DECENNIAL": "irregular",
                   "TRIDECENNIAL": "irregular", "OTHER": "irregular",
                   "UNKNOWN": "irregular"}.items():
    READ_FREQUENCY_CODE[str(FREQUENCY[_eu])] = _code
CLD_FREQ = "http://purl.org/cld/freq/"
for _cld, _code in {"continuous": "realtime", "daily": "daily", "threeTimesAWeek": "weekly",
                    "semiweekly": "weekly", "weekly": "weekly", "threeTimesAMonth": "monthly",
                    "biweekly": "monthly", "semimonthly": "monthly", "monthly": "monthly",
                    "bimonthly": "quarterly", "quarterly": "quarterly",
                    "threeTimesAYear": "semiannual", "semiannual": "semiannual",
                    "annual": "annual", "biennial": "irregular", "triennial": "irregular",
                    "irregular": "irregular"}.items():
    READ_FREQUENCY_CODE[CLD_FREQ + _cld] = _code

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
# EU file types that name a service or a variant of one of our formats
for _ft, _fmt in {"WMS": "WMS", "WFS": "WFS", "WMTS_SRVC": "WMS", "WCS_SRVC": "WFS",
                  "GZIP": "ZIP", "RDF": "RDF", "JSON_LD": "JSON-LD", "XHTML": "HTML",
                  "MS_EXCEL": "XLS", "OOXML_SPREADSHEET": "XLSX", "N_TRIPLES": "RDF",
                  "SPARQLQ": "API", "REST": "API"}.items():
    FILE_TYPE_FORMAT[str(FILE_TYPE[_ft])] = _fmt
MIMETYPE_FORMAT = {mt: fmt for fmt, (_, mt) in FORMATS.items() if mt}
MIMETYPE_FORMAT.update({"application/vnd.ms-excel": "XLS", "text/xml": "XML",
                        "application/json-ld": "JSON-LD", "application/x-zip-compressed": "ZIP",
                        "application/sparql-query": "API", "application/geojson": "GEOJSON",
                        "application/vnd.geo+json": "GEOJSON", "application/x-shapefile": "SHP"})
MEDIA_TYPE_FORMAT = {IANA + mt: fmt for mt, fmt in MIMETYPE_FORMAT.items()}
IANA_PREFIXES = ("https://www.iana.org/assignments/media-types/",
                 "http://www.iana.org/assignments/media-types/")


def format_and_mimetype(values) -> tuple:
    """(CKAN format, mimetype) from the dct:format / dcat:mediaType values of a
    distribution (IRIs of the EU file-type table or IANA, or plain text)."""
    fmt = mimetype = None
    for value in values:
        text = str(value or "").strip()
        if not text:
            continue
        if text.startswith(str(FILE_TYPE)):
            code = text[len(str(FILE_TYPE)):].strip("/").upper()
            fmt = fmt or FILE_TYPE_FORMAT.get(str(FILE_TYPE[code])) or \
                code.replace("_SRVC", "").replace("_", "-")
        elif text.startswith(IANA_PREFIXES):
            mimetype = mimetype or text.split("/media-types/", 1)[1].lower()
        elif text.startswith(("http://", "https://")):
            continue   # another vocabulary: not guessed from
        elif "/" in text:
            mimetype = mimetype or text.lower()
        else:
            fmt = fmt or text.upper()
    if mimetype and not fmt:
        fmt = MIMETYPE_FORMAT.get(mimetype)
    if fmt and not mimetype and fmt in FORMATS:
        mimetype = FORMATS[fmt][1]
    return fmt, mimetype


# licence IRIs → CKAN licence ids (besides the URLs of CKAN's licence register)
LICENSE_IDS = {}
for _iris, _id in (
        (("creativecommons.org/licenses/by/4.0", "creativecommons.org/licenses/by/3.0",
          "creativecommons.org/licenses/by/2.0", "publications.europa.eu/resource/authority/licence/CC_BY_4_0",
          "dcat-ap.de/def/licenses/cc-by-4.0", "dcat-ap.de/def/licenses/cc-by"), "cc-by"),
        (("creativecommons.org/licenses/by-sa/4.0", "creativecommons.org/licenses/by-sa/3.0",
          "publications.europa.eu/resource/authority/licence/CC_BYSA_4_0",
          "dcat-ap.de/def/licenses/cc-by-sa-4.0"), "cc-by-sa"),
        (("creativecommons.org/publicdomain/zero/1.0", "publications.europa.eu/resource/authority/licence/CC0",
          "dcat-ap.de/def/licenses/cc-zero"), "cc-zero"),
        (("creativecommons.org/licenses/by-nc/4.0", "creativecommons.org/licenses/by-nc/3.0",
          "publications.europa.eu/resource/authority/licence/CC_BYNC_4_0"), "cc-nc"),
        (("opendatacommons.org/licenses/by", "opendatacommons.org/licenses/by/1.0",
          "publications.europa.eu/resource/authority/licence/ODC_BY"), "odc-by"),
        (("opendatacommons.org/licenses/odbl", "opendatacommons.org/licenses/odbl/1.0",
          "publications.europa.eu/resource/authority/licence/ODC_BL"), "odc-odbl"),
        (("opendatacommons.org/licenses/pddl", "opendatacommons.org/licenses/pddl/1.0",
          "publications.europa.eu/resource/authority/licence/ODC_PDDL"), "odc-pddl"),
):
    for _iri in _iris:
        LICENSE_IDS[_iri] = _id


def license_id(iri: str):
    key = iri.split("://", 1)[-1].rstrip("/")
    if key.startswith("www."):
        key = key[4:]
    return LICENSE_IDS.get(key)
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
