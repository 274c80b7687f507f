#!/usr/bin/env bash
# Picks a fixed sample of the out-of-distribution evaluation set for the website's model page and the
# shipped model's test: up to three pictures of each source, evenly spaced in the manifest's order (a
# rule, not a choice made by looking at the model's answers), as thumbnails whose longer side is 96 px.
#
# Usage: scripts/ood-examples.sh [SET_DIR] [OUT_DIR]
#   SET_DIR default build/pictures/ood-eval (made by scripts/collect-pictures.sh ood-eval)
#   OUT_DIR default website-service/src/main/resources/static/ood-examples (committed)
# Writes OUT_DIR/*.jpg and OUT_DIR/examples.tsv (file, package, role, licence, copyright, original_path),
# the copyright holders taken from the set's LICENSES.md.
# Needs ImageMagick's convert.
set -euo pipefail

SET=${1:-build/pictures/ood-eval}
OUT=${2:-website-service/src/main/resources/static/ood-examples}
PER_SOURCE=3
[ -f "$SET/manifest.tsv" ] || { echo "ood-examples: no $SET/manifest.tsv (run scripts/collect-pictures.sh ood-eval)" >&2; exit 1; }
convert -version >/dev/null 2>&1 || { echo "ood-examples: needs ImageMagick's convert" >&2; exit 1; }

rm -rf "$OUT"
mkdir -p "$OUT"
# file package version role licence original_path -> the evenly spaced rows of each package.
awk -F'\t' -v per="$PER_SOURCE" '
  NR == 1 { next }
  { n[$2]++; row[$2, n[$2]] = $0; if (!($2 in seen)) { seen[$2] = 1; order[++sources] = $2 } }
  END {
    for (s = 1; s <= sources; s++) {
      pkg = order[s]; count = n[pkg]; take = count < per ? count : per
      for (k = 0; k < take; k++) {
        i = take == 1 ? 1 : 1 + int(k * (count - 1) / (take - 1) + 0.5)
        print row[pkg, i]
      }
    }
  }' "$SET/manifest.tsv" >"$OUT/.rows"

printf 'file\tpackage\trole\tlicence\tcopyright\toriginal_path\n' >"$OUT/examples.tsv"
while IFS=$'\t' read -r file pkg _version role licence original; do
  convert -quiet "$SET/$file" -strip -resize '96x96>' -quality 85 "$OUT/$file"
  # LICENSES.md rows: | File | Package | Version | Role | Licence | Copyright | Original path |
  copyright=$(awk -F' [|] ' -v f="| $file" '$1 == f { print $6; exit }' "$SET/LICENSES.md")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$file" "$pkg" "$role" "$licence" "$copyright" "$original" \
    >>"$OUT/examples.tsv"
done <"$OUT/.rows"
rm "$OUT/.rows"
echo "ood-examples: $(($(wc -l <"$OUT/examples.tsv") - 1)) thumbnails in $OUT"
