#!/usr/bin/env bash
# Measures whether Mahalanobis distance on penultimate features adds to a model's unsure score
# (docs/decisions/0013-feature-space-score.md). Needs the modules built and installed first:
#   ./mvnw install -DskipTests
# Usage: scripts/measurements/feature-score.sh MODEL DATA_DIR VALIDATION_PICTURES EVALUATION_PICTURES
#   e.g. scripts/measurements/feature-score.sh models/cifar10-resnet18.onnx data \
#          build/pictures/outliers-validation build/pictures/ood-eval
set -euo pipefail
[ $# -eq 4 ] || { sed -n 2,7p "$0" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
classes=$(mktemp -d)
trap 'rm -rf "$classes"' EXIT
./mvnw -q -pl training-job dependency:build-classpath -Dmdep.outputFile="$classes/classpath.txt" >/dev/null
cp="training-job/target/classes:$(cat "$classes/classpath.txt")"
javac -d "$classes" -cp "$cp" "$here/FeatureScoreMeasurement.java"
# ONNX Runtime crashes the JVM on a very long -cp; a jar whose manifest lists the class path works.
python3 - "$classes" "$classes:$cp" <<'PY'
import pathlib, sys, zipfile
out, entries = sys.argv[1], sys.argv[2].split(":")
urls = " ".join(pathlib.Path(e).resolve().as_uri() + ("/" if pathlib.Path(e).is_dir() else "") for e in entries if e)
line = "Class-Path: " + urls
wrapped = line[:70] + "".join("\r\n " + line[i:i + 69] for i in range(70, len(line), 69))
with zipfile.ZipFile(out + "/pathing.jar", "w") as jar:
    jar.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n" + wrapped + "\r\n\r\n")
PY
java -Xmx8g -cp "$classes/pathing.jar" io.cifarserve.training.calibrate.FeatureScoreMeasurement "$@"
