#!/usr/bin/env bash
# Regenerate the configuration reference (docs/configuration.md, below its marker) from the
# declarations: `ckan config docs lyg_opendata -f md` against test.ini (make docs).
set -euo pipefail
cd "$(dirname "$0")/.."
doc=docs/configuration.md
head=$(awk '/^<!-- generated below by `make docs`/{print; exit} {print}' "$doc")
body=$(.venv/bin/ckan -c test.ini config docs lyg_opendata -f md 2>/dev/null)
printf '%s\n\n%s\n' "$head" "$body" > "$doc"
echo "docs: $doc regenerated ($(grep -c '^#### ' "$doc") options)"
