#!/usr/bin/env bash
# Builds a picture set for the CIFAR-10 classifier from freely licensed Debian packages: pictures that show none of
# the ten classes (airplane, automobile, bird, cat, deer, dog, frog, horse, ship, truck). What goes in is data, one
# folder per set under scripts/picture-sets/SET/:
#   packages.tsv  tab-separated, header "package<TAB>version<TAB>role<TAB>licence_override<TAB>note"; one row per
#                 package. role: evaluation, independent (sources kept for independent checks, never trained on),
#                 train or validation. licence_override: empty, or "LICENCE|COPYRIGHT HOLDER", used for every file
#                 of the package (needed where its copyright file has no "Files:" stanzas or a blank License:).
#                 note: free text shown in LICENSES.md (may be empty).
#   keep.txt      "PACKAGE path/inside/package", one kept file a line; lines starting with '#' are comments (what
#                 was left out and why). Every kept file was looked at by eye.
#
# Usage: scripts/collect-pictures.sh SET [OUT_DIR]       (default OUT_DIR: build/pictures/SET)
#   e.g. scripts/collect-pictures.sh ood-eval
# Needs: apt-get, apt-cache, dpkg-deb, ImageMagick's convert (Debian: apt-get install imagemagick), awk, coreutils.
# Writes: OUT_DIR/<package>_<stem>.jpg (frame 0, EXIF rotation applied, metadata stripped, RGB on white, longer side
# <= 512 px, JPEG quality 90), manifest.tsv (file, package, version, role, licence, original_path), LICENSES.md and
# copyright/<package>. Package versions are pinned, so the same files (and licences) come back every time. When Debian
# drops a pinned version, the run fails; OOD_UNPINNED=1 then takes apt's candidate version (look at the pictures and
# licences again). PICTURE_JOBS=N converts N pictures at a time (default: the number of CPUs).
set -euo pipefail

die() { echo "collect-pictures: $*" >&2; exit 1; }
usage="usage: scripts/collect-pictures.sh SET [OUT_DIR]   (one set per run; sets: scripts/picture-sets/*/)"

[ $# -ge 1 ] && [ $# -le 2 ] || die "$usage"
SET=$1
[[ $SET =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || die "bad set name '$SET'; $usage"
SET_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/picture-sets/$SET"
PACKAGES_TSV=$SET_DIR/packages.tsv
KEEP_TXT=$SET_DIR/keep.txt
[ -f "$PACKAGES_TSV" ] && [ -f "$KEEP_TXT" ] ||
  die "no set '$SET': $SET_DIR needs packages.tsv and keep.txt; $usage"
OUT=${2:-build/pictures/$SET}
MAX_PX=512
QUALITY=90
JOBS=${PICTURE_JOBS:-$(nproc 2>/dev/null || echo 4)}
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || die "PICTURE_JOBS must be a positive number"

for tool in apt-get apt-cache dpkg-deb convert awk xargs; do
  command -v "$tool" >/dev/null || die "missing '$tool' (Debian: apt-get install imagemagick for convert)"
done
# Some machines carry a 'convert' stand-in that only shows pictures; the real ImageMagick answers -version.
convert -version >/dev/null 2>&1 || die "'convert' is not ImageMagick (Debian: apt-get install imagemagick)"

# --- Read and check the set's data before touching anything. ---
tab=$'\t'
header=$(head -n 1 "$PACKAGES_TSV")
[ "$header" = "package${tab}version${tab}role${tab}licence_override${tab}note" ] ||
  die "$PACKAGES_TSV: the first line must be the header 'package<TAB>version<TAB>role<TAB>licence_override<TAB>note'"
declare -A VERSION=() ROLE=() LICENCE_OVERRIDE=() NOTE=() KEPT=()
PACKAGES=()
n=1
while IFS= read -r line || [ -n "$line" ]; do
  n=$((n + 1))
  [ -n "$line" ] || continue
  line=${line%$'\r'}
  fields=${line//[^$tab]/}
  [ ${#fields} -eq 4 ] || die "$PACKAGES_TSV line $n: needs 5 tab-separated fields, has $((${#fields} + 1))"
  # 'read' would merge adjacent tabs (tab is IFS white space), so split by hand to keep empty fields.
  pkg=${line%%"$tab"*} rest=${line#*"$tab"}
  version=${rest%%"$tab"*} rest=${rest#*"$tab"}
  role=${rest%%"$tab"*} rest=${rest#*"$tab"}
  override=${rest%%"$tab"*} note=${rest#*"$tab"}
  [[ $pkg =~ ^[a-z0-9][a-z0-9.+-]+$ ]] || die "$PACKAGES_TSV line $n: bad package name '$pkg'"
  [ -z "${ROLE[$pkg]:-}" ] || die "$PACKAGES_TSV line $n: $pkg is listed twice"
  [ -n "$version" ] || die "$PACKAGES_TSV line $n: $pkg has no version"
  case $role in evaluation | independent | train | validation) ;;
    *) die "$PACKAGES_TSV line $n: role of $pkg is '$role'; it must be evaluation, independent, train or validation" ;;
  esac
  [ -z "$override" ] || [[ $override == ?*'|'?* ]] ||
    die "$PACKAGES_TSV line $n: licence_override of $pkg must be empty or 'LICENCE|COPYRIGHT HOLDER'"
  PACKAGES+=("$pkg") VERSION[$pkg]=$version ROLE[$pkg]=$role LICENCE_OVERRIDE[$pkg]=$override NOTE[$pkg]=$note
done < <(tail -n +2 "$PACKAGES_TSV")
[ ${#PACKAGES[@]} -gt 0 ] || die "$PACKAGES_TSV lists no packages"

KEEP=()
declare -A SEEN=()
n=0
while IFS= read -r line || [ -n "$line" ]; do
  n=$((n + 1))
  line=${line%$'\r'}
  case $line in '#'* | '') continue ;; esac
  read -r pkg path <<<"$line"
  [ -n "${path:-}" ] || die "$KEEP_TXT line $n: expected 'PACKAGE path/inside/package'"
  [ -n "${ROLE[$pkg]:-}" ] || die "$KEEP_TXT line $n: package $pkg is not in $PACKAGES_TSV"
  case /$path/ in //* | */../* | */./*) die "$KEEP_TXT line $n: '$path' must be a relative path without . or .." ;; esac
  [ -z "${SEEN[$pkg $path]:-}" ] || die "$KEEP_TXT line $n: $pkg $path is listed twice"
  SEEN[$pkg $path]=1 KEPT[$pkg]=1
  KEEP+=("$pkg $path")
done <"$KEEP_TXT"
[ ${#KEEP[@]} -gt 0 ] || die "$KEEP_TXT keeps no files"
for pkg in "${PACKAGES[@]}"; do
  [ -n "${KEPT[$pkg]:-}" ] || die "$pkg is in $PACKAGES_TSV but keeps no file in $KEEP_TXT"
done

# Never wipe a folder this script did not make.
[ ! -e "$OUT" ] || [ -d "$OUT" ] || die "$OUT exists and is not a folder"
if [ -d "$OUT" ] && [ -n "$(ls -A "$OUT")" ] && [ ! -f "$OUT/manifest.tsv" ]; then
  die "$OUT exists, is not empty and has no manifest.tsv; refusing to replace it"
fi

start=$SECONDS
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/debs" "$work/root" "$work/out/copyright"

# apt-get download needs package lists; a machine where 'apt-get update' never ran knows none of the packages.
if ! apt-cache show "${PACKAGES[@]}" >/dev/null 2>&1; then
  [ "$(id -u)" -eq 0 ] || die "apt does not know the packages; run 'apt-get update' as root first"
  # apt-get update only warns (exit 0) when the mirror is unreachable, so check the lists again afterwards.
  apt-get update -q >&2 || die "'apt-get update' failed"
  apt-cache show "${PACKAGES[@]}" >/dev/null 2>&1 ||
    die "apt still does not know the packages after 'apt-get update': it cannot reach the Debian mirror" \
      "(see the warnings above), or Debian 'main' is not in its sources"
fi

# As root, apt hands downloads to the _apt user, who cannot write to our private temp dir: skip that sandbox.
apt_opts=(-q)
[ "$(id -u)" -ne 0 ] || apt_opts+=(-o APT::Sandbox::User=root)
# One apt-get call fetches all pinned packages at once (much faster); on failure, go package by package.
pinned=()
for pkg in "${PACKAGES[@]}"; do pinned+=("$pkg=${VERSION[$pkg]}"); done
if ! (cd "$work/debs" && apt-get download "${apt_opts[@]}" "${pinned[@]}" >/dev/null 2>&1); then
  for pkg in "${PACKAGES[@]}"; do
    ! compgen -G "$work/debs/${pkg}_*.deb" >/dev/null || continue
    if ! (cd "$work/debs" && apt-get download "${apt_opts[@]}" "$pkg=${VERSION[$pkg]}" >/dev/null); then
      [ "${OOD_UNPINNED:-0}" = 1 ] || die "cannot download $pkg=${VERSION[$pkg]}: apt cannot reach the mirror, or" \
        "Debian no longer has that version (OOD_UNPINNED=1 takes the current one)"
      (cd "$work/debs" && apt-get download "${apt_opts[@]}" "$pkg" >/dev/null) || die "cannot download $pkg"
    fi
  done
fi
downloaded=$SECONDS

# Unpack (without installing) only the kept files and the copyright file of each package; unpack the whole
# package where that falls short (paths not stored as ./usr/..., or a kept file that is a link to another file).
declare -A MEMBERS=()
for entry in "${KEEP[@]}"; do
  pkg=${entry%% *}
  MEMBERS[$pkg]+="./${entry#* }"$'\n'
done
for pkg in "${PACKAGES[@]}"; do
  debs=("$work/debs/${pkg}_"*.deb)
  [ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || die "no single downloaded .deb for $pkg"
  root="$work/root/$pkg"
  mkdir -p "$root"
  printf '%s./usr/share/doc/%s/copyright\n' "${MEMBERS[$pkg]}" "$pkg" >"$work/members"
  complete=1
  dpkg-deb --fsys-tarfile "${debs[0]}" | tar -x -C "$root" -f - -T "$work/members" 2>/dev/null || complete=0
  while IFS= read -r member; do [ -f "$root/$member" ] || complete=0; done <"$work/members"
  if [ "$complete" = 0 ]; then
    rm -rf "$root"
    dpkg-deb -x "${debs[0]}" "$root"
  fi
  cp "$root/usr/share/doc/$pkg/copyright" "$work/out/copyright/$pkg" || die "$pkg has no copyright file"
done
unpacked=$SECONDS

# License and Copyright of the last stanza of a machine-readable copyright file that covers the path: "*",
# a pattern matching the path's tail, or a plain name equal to its basename (Debian's paths are upstream ones).
licence_of() {
  awk -v path="$2" '
    function re(g) { gsub(/[].+^$(){}|[\\]/, "\\\\&", g); gsub(/\*/, ".*", g); gsub(/\?/, ".", g); return "^" g "$" }
    function base(p) { sub(/.*\//, "", p); return p }
    function flush(  n, i, p, pats) {
      n = split(files, pats, /[ \t]+/)
      for (i = 1; i <= n; i++) {
        p = pats[i]
        if (p == "") continue
        if (p == "*" || path ~ re("*/" p) || (p !~ /[*?]/ && base(p) == base(path))) { L = lic; C = copy }
      }
      files = lic = copy = field = ""
    }
    /^[ \t]*$/ { flush(); next }
    /^Files:/ { files = substr($0, 7); field = "f"; next }
    /^Copyright:/ { copy = substr($0, 11); field = "c"; next }
    /^License:/ { lic = substr($0, 9); field = ""; next }
    /^[ \t]/ { if (field == "f") files = files " " $0; else if (field == "c") copy = copy ";" $0; next }
    { field = "" }
    END {
      flush(); gsub(/^[ \t]+|[ \t]+$/, "", L); gsub(/[ \t]+/, " ", C); gsub(/^ | $/, "", C)
      if (L != "") print L "|" C
    }' "$1"
}

printf 'file\tpackage\tversion\trole\tlicence\toriginal_path\n' >"$work/out/manifest.tsv"
: >"$work/jobs"
rows=""
declare -A VERSION_GOT=()
for entry in "${KEEP[@]}"; do
  pkg=${entry%% *} path=${entry#* }
  deb=$(compgen -G "$work/debs/${pkg}_*.deb")
  root="$work/root/$pkg"
  [ -n "${VERSION_GOT[$pkg]:-}" ] || VERSION_GOT[$pkg]=$(dpkg-deb -f "$deb" Version)
  version=${VERSION_GOT[$pkg]}
  [ -f "$root/$path" ] || die "$pkg $version has no $path (package changed? review $KEEP_TXT)"

  if [ -n "${LICENCE_OVERRIDE[$pkg]}" ]; then
    lc=${LICENCE_OVERRIDE[$pkg]}
  elif grep -q '^Files:' "$root/usr/share/doc/$pkg/copyright"; then
    lc=$(licence_of "$root/usr/share/doc/$pkg/copyright" "$path")
  else
    die "$pkg's copyright file has no 'Files:' stanzas: give it a licence_override in $PACKAGES_TSV"
  fi
  [ -n "$lc" ] || die "no licence found for $pkg $path (give $pkg a licence_override in $PACKAGES_TSV)"
  licence=${lc%%|*} copyright=${lc#*|}

  # Plasma names its files by size (2560x1600.jpg): use the wallpaper's folder name instead.
  stem=$(basename "${path%.*}")
  case $path in */contents/images/*) stem=$(basename "${path%%/contents/images/*}") ;; esac
  name="${pkg}_${stem}.jpg"
  # Files of the same name in different folders (a game's skybox faces) are named by their whole path.
  if [ -e "$work/out/$name" ]; then
    flat=${path#usr/share/}
    flat=${flat%.*}
    name="${pkg}_${flat//\//_}.jpg"
  fi
  [ ! -e "$work/out/$name" ] || die "two kept files map to $name"
  : >"$work/out/$name"
  printf '%s\0%s\0' "$root/$path" "$work/out/$name" >>"$work/jobs"

  printf '%s\t%s\t%s\t%s\t%s\t/%s\n' "$name" "$pkg" "$version" "${ROLE[$pkg]}" "$licence" "$path" \
    >>"$work/out/manifest.tsv"
  rows+="| $name | $pkg | $version | ${ROLE[$pkg]} | $licence | ${copyright//|//} | /$path |"$'\n'
done

# Frame 0 only, EXIF rotation applied then metadata dropped (deterministic bytes), RGB on white; -quiet hides
# warnings about malformed XMP packets and sRGB chunks in some originals.
# shellcheck disable=SC2016
xargs -0 -n 2 -P "$JOBS" sh -c 'convert -quiet "$3[0]" -auto-orient -strip -background white -alpha remove \
  -alpha off -colorspace sRGB -type TrueColor -resize "$1x$1>" -quality "$2" "$4" ||
  { echo "collect-pictures: cannot convert $3" >&2; exit 255; }' convert-one "$MAX_PX" "$QUALITY" <"$work/jobs" ||
  die "converting the pictures failed (see above)"

{
  echo "# Picture set '$SET': licences"
  echo
  echo "Pictures showing none of the CIFAR-10 classes, taken from Debian packages by"
  echo "scripts/collect-pictures.sh $SET (data: scripts/picture-sets/$SET/) and downscaled to at most ${MAX_PX} px"
  echo "(JPEG quality ${QUALITY}). Licence and copyright holder come from each package's"
  echo "/usr/share/doc/<package>/copyright (copied in full to copyright/<package>), or from the set's licence"
  echo "override where that file is not machine-readable."
  echo
  echo "| File | Package | Version | Role | Licence | Copyright | Original path |"
  echo "| --- | --- | --- | --- | --- | --- | --- |"
  printf '%s' "$rows"
  echo
  echo "## Notes"
  echo
  for pkg in "${PACKAGES[@]}"; do
    [ -z "${NOTE[$pkg]}" ] || echo "- $pkg: ${NOTE[$pkg]}"
  done
} >"$work/out/LICENSES.md"

# Swap the new set in only at the end, so a failed run leaves the previous one untouched.
mkdir -p "$(dirname "$OUT")"
rm -rf "$OUT"
mv "$work/out" "$OUT"

echo "collect-pictures: $(($(wc -l <"$OUT/manifest.tsv") - 1)) pictures of set '$SET' in $OUT ($((SECONDS - start)) s:" \
  "download $((downloaded - start)) s, unpack $((unpacked - downloaded)) s, convert $((SECONDS - unpacked)) s)"
cut -f2,4 "$OUT/manifest.tsv" | tail -n +2 | sort | uniq -c
