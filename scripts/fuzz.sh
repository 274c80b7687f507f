#!/usr/bin/env bash
# Coverage-guided fuzzing (Jazzer) of every parser that takes outside input, one target after another.
# Usage: scripts/fuzz.sh DURATION [TARGET...]   DURATION per target: 30s, 10m, ...; default: every target.
# A finding is written as crash-* or timeout-* into the target's ...FuzzTestInputs/ folder under
# src/test/resources, where `./mvnw verify` replays it from then on. The corpus a run builds stays in
# MODULE/.cifuzz-corpus/ (not committed). See docs/development.md#fuzzing.
set -euo pipefail
cd "$(dirname "$0")/.."

# target | module | test | heap (the documented bound the target runs under) | classes to instrument
targets="
image-decoder|image-classifier|ImageDecoderFuzzTest#decodeWhole|512m|io.cifarserve.**,com.twelvemonkeys.**,com.drew.**
image-centre-square|image-classifier|ImageDecoderFuzzTest#decodeCentreSquare|512m|io.cifarserve.**,com.twelvemonkeys.**,com.drew.**
upload|inference-service|UploadFuzzTest#upload|768m|io.cifarserve.**,org.apache.tomcat.util.http.**,org.springframework.web.multipart.**,com.twelvemonkeys.**
oip|inference-service|OipFuzzTest#infer|768m|io.cifarserve.**,tools.jackson.core.**,tools.jackson.databind.deser.**
model-upload|inference-service|ModelUploadFuzzTest#upload|768m|io.cifarserve.**
predict-dir|batch-prediction|PredictDirFuzzTest#predictDir|512m|io.cifarserve.**,com.twelvemonkeys.**
"

duration="${1:?usage: scripts/fuzz.sh DURATION [TARGET...], DURATION like 30s or 10m}"
shift
case "$duration" in
  *m) seconds=$((${duration%m} * 60)) ;;
  *s) seconds=${duration%s} ;;
  *) echo "DURATION must end in s or m: $duration" >&2; exit 2 ;;
esac
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  mapfile -t names < <(echo "$targets" | sed '/^$/d' | cut -d'|' -f1)
fi

found=()
for name in "${names[@]}"; do
  line="$(echo "$targets" | grep "^$name|" || true)"
  if [ -z "$line" ]; then
    echo "no target $name; the targets are: $(echo "$targets" | sed '/^$/d' | cut -d'|' -f1 | tr '\n' ' ')" >&2
    exit 2
  fi
  IFS='|' read -r _ module test heap instrument <<<"$line"
  echo "== $name: $module $test for $duration (heap $heap, 2 s per input)"
  # One fuzz test per JVM (Jazzer fuzzes only one); its per-input limit replaces JUnit's timeout.
  JAZZER_FUZZ=1 ./mvnw -B -q -pl "$module" -am test -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
    -Djacoco.skip=true -Dspotless.check.skip=true -DargLine="-Xmx$heap" -Djazzer.instrument="$instrument" \
    -Djunit.jupiter.execution.timeout.mode=disabled \
    -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time="$seconds" \
    -Djazzer.internal.arg.2=-timeout=2 || found+=("$name")
done
git status --short -- '*FuzzTestInputs*'
if [ ${#found[@]} -gt 0 ]; then
  echo "findings in: ${found[*]} (each is now an input under its FuzzTestInputs folder)" >&2
  exit 1
fi
