#!/usr/bin/env bash
# Make the yearly report PDF and a picture of its first page, for a person to look at.
#   scripts/check_report_pdf.sh [year] [output-dir]     (default: 2018, /tmp/report_check)
# Uses the database of DATABASE_URL (load the demo first: python manage.py load_demo).
# Fails when the PDF does not embed NanumGothic (Hangul would be empty boxes) or the page is blank.
set -euo pipefail
cd "$(dirname "$0")/.."
year="${1:-2018}"
out="${2:-/tmp/report_check}"
mkdir -p "$out"
pdf="$out/report_$year.pdf"

.venv/bin/python manage.py export_report --year "$year" --format pdf --output "$pdf"
pdftotext -layout "$pdf" "$out/report_$year.txt"
if ! pdffonts "$pdf" | grep -q NanumGothic; then
  echo "NanumGothic is not embedded in $pdf: Korean would render as boxes (apt-get install fonts-nanum)." >&2
  exit 1
fi
pdftoppm -png -r 100 -f 1 -l 1 "$pdf" "$out/page"
pdftoppm -gray -r 50 -f 1 -l 1 "$pdf" "$out/page_small"
# Share of dark pixels on page 1 (a blank page has none).
.venv/bin/python - "$out"/page_small*.pgm <<'PY'
import sys
raw = open(sys.argv[1], "rb").read()
parts = raw.split(maxsplit=4)
width, height = int(parts[1]), int(parts[2])
pixels = parts[4][: width * height]
dark = sum(1 for v in pixels if v < 128) / len(pixels)
print(f"page 1: {width}x{height} px at 50 dpi, {dark:.1%} dark pixels")
sys.exit(0 if dark > 0.005 else 1)
PY
rm -f "$out"/page_small*.pgm
echo "Look at: $(ls "$out"/page*.png)   text: $out/report_$year.txt"
