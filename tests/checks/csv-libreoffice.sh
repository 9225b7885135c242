#!/usr/bin/env bash
# Documented check (not part of ctest: LibreOffice is a large optional
# package): the CSV of cooperations survives a round trip through LibreOffice
# Calc headless with the same columns and rows.
#   tests/checks/csv-libreoffice.sh [build/coopkb]
# Needs: apt-get install libreoffice-calc-nogui
set -euo pipefail
bin=$(realpath "${1:-build/coopkb}")
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" ingest -q --db "$tmp/kb.sqlite" "$root/corpus" "$root/tests/fixtures/queries" >/dev/null
"$bin" export cooperations --format csv --db "$tmp/kb.sqlite" --out "$tmp/coops.csv"
cd "$tmp"
soffice --headless --infilter="CSV:44,34,76,1" --convert-to xlsx coops.csv >/dev/null 2>&1
soffice --headless --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1' --outdir back coops.xlsx >/dev/null 2>&1
python3 - "$tmp/coops.csv" "$tmp/back/coops.csv" <<'PY'
import csv, sys
orig = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
back = list(csv.reader(open(sys.argv[2], encoding="utf-8", newline="")))
expected = ["id", "parties", "kind", "specialties", "date", "document_id", "source", "published", "evidence"]
assert back[0] == expected, back[0]
assert len(back) == len(orig), (len(back), len(orig))
assert all(len(r) == len(expected) for r in back), "a row lost or gained columns"
# Calc reads ISO date-times as dates and writes them back with seconds; all else is unchanged.
norm = lambda r: [c[:16] if len(c) == 19 and c[10:11] == "T" else c for c in r]
diff = [i for i, (a, b) in enumerate(zip(orig, back)) if norm(a) != norm(b)]
assert not diff, f"rows differ: {diff}"
print(f"LibreOffice round trip: {len(back) - 1} cooperations x {len(expected)} columns, identical")
PY
