from setuptools import setup, find_namespace_packages

setup(
    name="ckanext-lyg_opendata",
    version="0.1.0",
    description=(
        "Lianyungang public data open platform (连云港市公共数据开放平台) "
        "on CKAN 2.12"
    ),
    license="AGPL-3.0-or-later",
    python_requires=">=3.11,<3.12",
    packages=find_namespace_packages(include=["ckanext.*"]),
    include_package_data=True,
    zip_safe=False,
    install_requires=[
        "ckan[requirements]==2.12.0",
        "ckanext-scheming==3.1.0",
        "ckanext-dcat==2.4.4",
        "ckanext-harvest==1.6.3",
        # ckanext-xloader 2.6.0 itself is installed by scripts/install.sh with --no-deps: it
        # asks for certifi>=2026.7.22 while CKAN 2.12.0 pins certifi==2026.6.17; these are
        # the dependencies it needs beyond CKAN's
        "tabulator==1.53.5",
        "Unidecode==1.4.0",
        "chardet==7.6.0",
        "python-stdnum==2.2",
        "pypinyin==0.55.0",
        "pypdf==7.1.1",
        "aiosmtpd==1.4.6",
        "chinesecalendar==1.11.0",
        "openpyxl==3.1.5",
        "reportlab==5.1.0",
        "segno==1.6.6",
    ],
    extras_require={
        "test": [
            "pytest==9.2.0",
            "pytest-xdist==3.8.0",
            "ruff==0.17.5",
            "pytest-factoryboy==2.8.1",
            "factory-boy==3.3.3",
            "Faker==40.63.0",
            "freezegun==1.5.5",
            "beautifulsoup4==4.15.0",
            "playwright==1.65.2",
            "pyshacl==0.40.1",
            "pypdf==7.1.1",
            "opencc-python-reimplemented==0.1.7",
            "openapi-spec-validator==0.9.0",
            "hypothesis==6.170.15",
        ],
    },
    entry_points={
        "ckan.plugins": [
            "lyg_opendata = ckanext.lyg_opendata.plugin:LygOpendataPlugin",
            "lyg_dcat_rdf_harvester = ckanext.lyg_opendata.dcat.harvester:LygDCATRDFHarvester",
            "lyg_chart_view = ckanext.lyg_opendata.data.viewplugins:LygChartView",
            "lyg_pdf_view = ckanext.lyg_opendata.data.viewplugins:LygPdfView",
            "lyg_map_view = ckanext.lyg_opendata.data.viewplugins:LygMapView",
        ],
        "ckan.rdf.profiles": [
            "lyg_opendata = ckanext.lyg_opendata.dcat.profile:LygOpendataProfile",
        ],
        "babel.extractors": [
            "ckan = ckan.lib.extract:extract_ckan",
        ],
    },
    message_extractors={
        "ckanext": [
            ("**.py", "python", None),
            ("**.js", "javascript", None),
            ("**/templates/**.html", "ckan", None),
        ],
    },
)
