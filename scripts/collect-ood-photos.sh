#!/usr/bin/env bash
# Builds an out-of-distribution (OOD) evaluation set for the CIFAR-10 classifier: real photographs that show
# none of the ten classes (airplane, automobile, bird, cat, deer, dog, frog, horse, ship, truck), taken from
# freely licensed Debian packages. Every candidate image was inspected by eye; the allow-list below is the result,
# so the set is reproducible and can be reviewed file by file.
#
# Usage: scripts/collect-ood-photos.sh [OUT_DIR]        (default: build/ood-photos)
# Needs: apt-get, apt-cache, dpkg-deb, ImageMagick's convert (Debian: apt-get install imagemagick), awk, coreutils.
# Writes: OUT_DIR/*.jpg (longer side <= 512 px, JPEG quality 90), manifest.tsv, LICENSES.md, copyright/<package>.
# Package versions are pinned, so the same files (and licences) come back every time. When Debian drops a pinned
# version, the run fails; OOD_UNPINNED=1 then takes apt's candidate version (look at the images and licences again).
set -euo pipefail

OUT=${1:-build/ood-photos}
MAX_PX=512
QUALITY=90

declare -A VERSION=(
  [lomiri-wallpapers-16.04]=20.04.0-2
  [lxqt-themes]=1.2.0-1
  [mate-backgrounds]=1.26.0-1
  [plasma-workspace-wallpapers]=4:5.27.5-2
  [tuxpaint-data]=1:0.9.28-sdl2-1
  [kphotoalbum]=5.9.1-1
  [python3-skimage]=0.19.3-8
)
PACKAGES=(lomiri-wallpapers-16.04 lxqt-themes mate-backgrounds plasma-workspace-wallpapers tuxpaint-data kphotoalbum
  python3-skimage)

# Licences for packages whose copyright file is not machine-readable (no "Files:" stanzas).
declare -A LICENCE_OVERRIDE=(
  [kphotoalbum]="GPL-2+|Jesper K. Pedersen and the KPhotoAlbum authors (demo photos)"
)

# Where the Debian copyright file and the upstream notes differ; shown in LICENSES.md.
declare -A NOTE=(
  [lxqt-themes]="Debian's copyright file covers the wallpapers with 'Files: *' (LGPL-2.1+); the upstream notice usr/share/lxqt/wallpapers/License says CC-BY-SA-3.0 and credits stefonarch for beam, flowers, butterfly, fog, not-windows, appleflowers, after-the-rain and drop."
  [plasma-workspace-wallpapers]="Photographers per metadata.json (which says LGPLv3): BytheWater Maciej Wiklo; ColorfulCups Dmitri Popov; FallenLeaf Martin Klapetek; Grey Sigi Sagi; the others Risto Saukonpää."
  [tuxpaint-data]="Upstream usr/share/tuxpaint/starters/*.txt: reef-back and skyline-sf-dusk-back are public domain photos by NOAA (Thomas K. Gibson; Rich Bourgerie)."
  [python3-skimage]="Upstream skimage/data/_fetchers.py: camera, coffee, brick, grass, gravel are CC0; clock_motion and hubble_deep_field public domain; coins 'no known copyright restrictions'."
)

# Kept files: "package path-inside-package". Left out after looking (reasons in short):
#  lomiri-wallpapers-16.04: friends (dogs), free (toy bird), analogpattern and umang (abstract);
#  lxqt-themes: logos, origami, triangles, waves (renders); mate-backgrounds: abstract/ and desktop/ (art);
#  plasma-workspace-wallpapers: EveningGlow (boats), the rest renders; tuxpaint-data: ocean_waves (dark object
#  at the edge), starters that are drawings; kphotoalbum: donna* (dog), snow (airplanes), skagen (ship on the
#  horizon), sunset (bird), anne_helene (small animal on the beach), rotated shots; python3-skimage: chelsea
#  (cat), astronaut (space shuttle), rocket (too close to 'airplane'), horse, motorcycle, microscopy and scans.
# Near-OOD animals that are none of the ten classes are kept on purpose: insects, rabbit, sheep, jellyfish, fish.
KEEP=$(cat <<'EOF'
lomiri-wallpapers-16.04 usr/share/backgrounds/Bridge_by_Sander_Klootwijk.jpg
lomiri-wallpapers-16.04 usr/share/backgrounds/Dragonfly_by_Bolly.jpg
lomiri-wallpapers-16.04 usr/share/backgrounds/Picture_0B_by_freespace.jpg
lomiri-wallpapers-16.04 usr/share/backgrounds/Picture_1A_by_freespace.jpg
lomiri-wallpapers-16.04 usr/share/backgrounds/Wine_by_Jakkub_Mede.jpg
lomiri-wallpapers-16.04 usr/share/backgrounds/aitzgorri_by_Aitzol_Berasategi.jpg
lomiri-wallpapers-16.04 usr/share/backgrounds/greentock_by_Peter_Nerlich.jpg
lomiri-wallpapers-16.04 usr/share/backgrounds/life_by_Aitzol_Berasategi.jpg
lomiri-wallpapers-16.04 usr/share/backgrounds/picosdeeuropa_by_Aitzol_Berasategi.jpg
lomiri-wallpapers-16.04 usr/share/backgrounds/seeding_by_Clements_Engelhardt.jpg
lomiri-wallpapers-16.04 usr/share/backgrounds/sunset_by_Aitzol_Berasategi.jpg
lxqt-themes usr/share/lxqt/wallpapers/Butterfly-Kenneth-Wimer.jpg
lxqt-themes usr/share/lxqt/wallpapers/Valendas.png
lxqt-themes usr/share/lxqt/wallpapers/after-the-rain.jpg
lxqt-themes usr/share/lxqt/wallpapers/appleflower.png
lxqt-themes usr/share/lxqt/wallpapers/beam.png
lxqt-themes usr/share/lxqt/wallpapers/butterfly.png
lxqt-themes usr/share/lxqt/wallpapers/cloud.png
lxqt-themes usr/share/lxqt/wallpapers/drop.png
lxqt-themes usr/share/lxqt/wallpapers/flowers.png
lxqt-themes usr/share/lxqt/wallpapers/fog.jpg
lxqt-themes usr/share/lxqt/wallpapers/this-is-not-windows.jpg
mate-backgrounds usr/share/backgrounds/mate/nature/Aqua.jpg
mate-backgrounds usr/share/backgrounds/mate/nature/Blinds.jpg
mate-backgrounds usr/share/backgrounds/mate/nature/Dune.jpg
mate-backgrounds usr/share/backgrounds/mate/nature/FreshFlower.jpg
mate-backgrounds usr/share/backgrounds/mate/nature/Garden.jpg
mate-backgrounds usr/share/backgrounds/mate/nature/GreenMeadow.jpg
mate-backgrounds usr/share/backgrounds/mate/nature/LadyBird.jpg
mate-backgrounds usr/share/backgrounds/mate/nature/RainDrops.jpg
mate-backgrounds usr/share/backgrounds/mate/nature/Storm.jpg
mate-backgrounds usr/share/backgrounds/mate/nature/TwoWings.jpg
mate-backgrounds usr/share/backgrounds/mate/nature/Wood.jpg
mate-backgrounds usr/share/backgrounds/mate/nature/YellowFlower.jpg
plasma-workspace-wallpapers usr/share/wallpapers/BytheWater/contents/images/2560x1600.jpg
plasma-workspace-wallpapers usr/share/wallpapers/ColdRipple/contents/images/2560x1600.jpg
plasma-workspace-wallpapers usr/share/wallpapers/ColorfulCups/contents/images/2560x1600.jpg
plasma-workspace-wallpapers usr/share/wallpapers/DarkestHour/contents/images/2560x1600.jpg
plasma-workspace-wallpapers usr/share/wallpapers/FallenLeaf/contents/images/2560x1600.jpg
plasma-workspace-wallpapers usr/share/wallpapers/Grey/contents/images/2560x1600.jpg
plasma-workspace-wallpapers usr/share/wallpapers/Kite/contents/images/2560x1600.jpg
plasma-workspace-wallpapers usr/share/wallpapers/OneStandsOut/contents/images/2560x1600.jpg
plasma-workspace-wallpapers usr/share/wallpapers/Path/contents/images/2560x1600.jpg
plasma-workspace-wallpapers usr/share/wallpapers/summer_1am/contents/images/2560x1600.jpg
tuxpaint-data usr/share/tuxpaint/templates/burnt_bark.jpg
tuxpaint-data usr/share/tuxpaint/templates/cliff.jpg
tuxpaint-data usr/share/tuxpaint/templates/corn_maze.jpg
tuxpaint-data usr/share/tuxpaint/templates/jellyfish.jpg
tuxpaint-data usr/share/tuxpaint/templates/lighthouse.jpg
tuxpaint-data usr/share/tuxpaint/templates/mossy_bark.jpg
tuxpaint-data usr/share/tuxpaint/templates/mossy_log.jpg
tuxpaint-data usr/share/tuxpaint/templates/mudstone.jpg
tuxpaint-data usr/share/tuxpaint/templates/ocean_splash.jpg
tuxpaint-data usr/share/tuxpaint/templates/redwoods_above.jpg
tuxpaint-data usr/share/tuxpaint/templates/rocks.jpg
tuxpaint-data usr/share/tuxpaint/templates/sheep.jpg
tuxpaint-data usr/share/tuxpaint/templates/spiders_web.jpg
tuxpaint-data usr/share/tuxpaint/templates/sun_behind_clouds.jpg
tuxpaint-data usr/share/tuxpaint/templates/sun_behind_leaves.jpg
tuxpaint-data usr/share/tuxpaint/templates/trees_above.jpg
tuxpaint-data usr/share/tuxpaint/templates/trees_at_dusk.jpg
tuxpaint-data usr/share/tuxpaint/templates/wool_mill_machine.jpg
tuxpaint-data usr/share/tuxpaint/starters/reef-back.png
tuxpaint-data usr/share/tuxpaint/starters/skyline-sf-dusk-back.jpeg
kphotoalbum usr/share/kphotoalbum/demo/bar55.jpg
kphotoalbum usr/share/kphotoalbum/demo/bar55_2.jpg
kphotoalbum usr/share/kphotoalbum/demo/blackie.jpg
kphotoalbum usr/share/kphotoalbum/demo/cold_water.jpg
kphotoalbum usr/share/kphotoalbum/demo/grand_canyon_2.jpg
kphotoalbum usr/share/kphotoalbum/demo/grand_canyon_3.jpg
kphotoalbum usr/share/kphotoalbum/demo/jesper.jpg
kphotoalbum usr/share/kphotoalbum/demo/jesper_2.jpg
kphotoalbum usr/share/kphotoalbum/demo/new_wave_2.jpg
kphotoalbum usr/share/kphotoalbum/demo/pool.jpg
kphotoalbum usr/share/kphotoalbum/demo/qt-logo.jpg
kphotoalbum usr/share/kphotoalbum/demo/skagen_2.jpg
kphotoalbum usr/share/kphotoalbum/demo/spiff.jpg
kphotoalbum usr/share/kphotoalbum/demo/spiff_2.jpg
python3-skimage usr/lib/python3/dist-packages/skimage/data/brick.png
python3-skimage usr/lib/python3/dist-packages/skimage/data/camera.png
python3-skimage usr/lib/python3/dist-packages/skimage/data/clock_motion.png
python3-skimage usr/lib/python3/dist-packages/skimage/data/coffee.png
python3-skimage usr/lib/python3/dist-packages/skimage/data/coins.png
python3-skimage usr/lib/python3/dist-packages/skimage/data/grass.png
python3-skimage usr/lib/python3/dist-packages/skimage/data/gravel.png
python3-skimage usr/lib/python3/dist-packages/skimage/data/hubble_deep_field.jpg
EOF
)

die() { echo "collect-ood-photos: $*" >&2; exit 1; }

for tool in apt-get apt-cache dpkg-deb convert awk; do
  command -v "$tool" >/dev/null || die "missing '$tool' (Debian: apt-get install imagemagick for convert)"
done
# Some machines carry a 'convert' stand-in that only shows pictures; the real ImageMagick answers -version.
convert -version >/dev/null 2>&1 || die "'convert' is not ImageMagick (Debian: apt-get install imagemagick)"
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
for pkg in "${PACKAGES[@]}"; do
  if ! (cd "$work/debs" && apt-get download "${apt_opts[@]}" "$pkg=${VERSION[$pkg]}" >/dev/null); then
    [ "${OOD_UNPINNED:-0}" = 1 ] || die "cannot download $pkg=${VERSION[$pkg]}: apt cannot reach the mirror, or" \
      "Debian no longer has that version (OOD_UNPINNED=1 takes the current one)"
    (cd "$work/debs" && apt-get download "${apt_opts[@]}" "$pkg" >/dev/null) || die "cannot download $pkg"
  fi
done

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

printf 'file\tpackage\tversion\tlicence\toriginal_path\n' >"$work/out/manifest.tsv"
rows=""
while read -r -u 3 pkg path; do
  deb=$(ls "$work/debs/${pkg}_"*.deb)
  root="$work/root/$pkg"
  if [ ! -d "$root" ]; then
    dpkg-deb -x "$deb" "$root"
    cp "$root/usr/share/doc/$pkg/copyright" "$work/out/copyright/$pkg" || die "$pkg has no copyright file"
  fi
  version=$(dpkg-deb -f "$deb" Version)
  [ -f "$root/$path" ] || die "$pkg $version has no $path (package changed? review the allow-list)"

  if grep -q '^Files:' "$root/usr/share/doc/$pkg/copyright"; then
    lc=$(licence_of "$root/usr/share/doc/$pkg/copyright" "$path")
  else
    lc=${LICENCE_OVERRIDE[$pkg]:-}
  fi
  [ -n "$lc" ] || die "no licence found for $pkg $path"
  licence=${lc%%|*} copyright=${lc#*|}

  # Plasma names its files by size (2560x1600.jpg): use the wallpaper's folder name instead.
  stem=$(basename "${path%.*}")
  case $path in */contents/images/*) stem=$(basename "${path%%/contents/images/*}") ;; esac
  name="${pkg}_${stem}.jpg"
  [ ! -e "$work/out/$name" ] || die "two kept files map to $name"

  # Frame 0 only, EXIF rotation applied then metadata dropped (deterministic bytes), RGB on white; -quiet hides
  # warnings about malformed XMP packets in three of the originals.
  convert -quiet "${root}/${path}[0]" -auto-orient -strip -background white -alpha remove -alpha off -colorspace sRGB \
    -type TrueColor -resize "${MAX_PX}x${MAX_PX}>" -quality "$QUALITY" "$work/out/$name"

  printf '%s\t%s\t%s\t%s\t/%s\n' "$name" "$pkg" "$version" "$licence" "$path" >>"$work/out/manifest.tsv"
  rows+="| $name | $pkg | $version | $licence | ${copyright//|//} | /$path |"$'\n'
done 3<<<"$KEEP"

{
  echo "# OOD photos: licences"
  echo
  echo "Real photographs showing none of the CIFAR-10 classes, taken from Debian packages by"
  echo "scripts/collect-ood-photos.sh and downscaled to at most ${MAX_PX} px (JPEG quality ${QUALITY})."
  echo "Licence and copyright holder come from each package's /usr/share/doc/<package>/copyright"
  echo "(copied in full to copyright/<package>)."
  echo
  echo "| File | Package | Version | Licence | Copyright | Original path |"
  echo "| --- | --- | --- | --- | --- | --- |"
  printf '%s' "$rows"
  echo
  echo "## Notes"
  echo
  for pkg in "${PACKAGES[@]}"; do
    [ -z "${NOTE[$pkg]:-}" ] || echo "- $pkg: ${NOTE[$pkg]}"
  done
} >"$work/out/LICENSES.md"

# Swap the new set in only at the end, so a failed run leaves the previous one untouched.
mkdir -p "$(dirname "$OUT")"
rm -rf "$OUT"
mv "$work/out" "$OUT"

echo "collect-ood-photos: $(($(wc -l <"$OUT/manifest.tsv") - 1)) photos in $OUT ($((SECONDS - start)) s)"
cut -f2 "$OUT/manifest.tsv" | tail -n +2 | sort | uniq -c
