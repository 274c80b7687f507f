#!/usr/bin/env bash
# Measures whether Mahalanobis distance on penultimate features adds to a model's unsure score
# (docs/decisions/0013-feature-space-score.md). Needs the training job built first:
#   ./mvnw -pl training-job -am package -DskipTests
# Usage: scripts/measurements/feature-score.sh MODEL DATA_DIR VALIDATION_PICTURES EVALUATION_PICTURES
#   e.g. scripts/measurements/feature-score.sh models/cifar10-resnet18.onnx data \
#          build/pictures/outliers-validation build/pictures/ood-eval
set -euo pipefail
[ $# -eq 4 ] || { sed -n 2,7p "$0" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
jar=$(ls training-job/target/training-job-*.jar | grep -v -- '-tests' | head -1)
classes=$(mktemp -d)
trap 'rm -rf "$classes"' EXIT
cp="$jar"
javac -d "$classes" -cp "$cp" "$here/FeatureScoreMeasurement.java"
java -Xmx8g -cp "$classes:$cp" io.cifarserve.training.calibrate.FeatureScoreMeasurement "$@"
