#!/usr/bin/env bash
# Generator performance: per-stage wall time of `oapi-forge generate` (server +
# client, formatted, written) on the largest corpus specs and petstore, next to the
# parse-only floor of the same bytes, and peak RSS on every corpus spec as a multiple
# of the spec's size. Prints markdown; BENCHMARKS.md holds a run.
#
#   benches/generator.sh                 # RUNS=5 per spec; CORPUS=../shared/corpus
#
# Run it on a quiet machine: the figures are wall times.
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS=${CORPUS:-../shared/corpus}
RUNS=${RUNS:-5}
cargo build --release --quiet --bin oapi-forge --example parse_floor
BIN=target/release/oapi-forge
FLOOR=target/release/examples/parse_floor
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

SPECS=(
  "$CORPUS/github/api.github.com.json"
  "$CORPUS/openai/openapi.yaml"
  "$CORPUS/kubernetes/api__v1_openapi.json"
  "$CORPUS/twilio/twilio_api_v2010.json"
  "$CORPUS/box/openapi.json"
  "specs/petstore.yaml"
)

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms() { # "12.3ms" / "1.2s" / "800µs" -> milliseconds
  awk '{v=$1; if (v ~ /µs$/) {sub(/µs$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /ns$/) {sub(/ns$/,"",v); v=v/1e6} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; printf "%.1f\n", v}'
}

echo "## Stages (median of $RUNS runs, milliseconds)"
echo
echo "| spec | size | read | parse | resolve | lower | render | format | write | total (wall) | parse-only floor | total / floor | peak RSS | RSS / size |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for spec in "${SPECS[@]}"; do
  [ -f "$spec" ] || { echo "| $spec | missing |"; continue; }
  size=$(stat -c %s "$spec")
  declare -A stage=()
  walls=(); rss=0
  for i in $(seq "$RUNS"); do
    rm -rf "$OUT/run"
    /usr/bin/time -f "%e %M" -o "$OUT/time" "$BIN" generate "$spec" --out "$OUT/run" --verbose \
      >/dev/null 2>"$OUT/log"
    read -r wall kb < "$OUT/time"
    walls+=("$wall")
    [ "$kb" -gt "$rss" ] && rss=$kb
    while read -r name took; do
      stage[$name]+="$(echo "$took" | ms) "
    done < <(grep -E '^ *(read|parse|resolve|lower|render|format|write): ' "$OUT/log" | sed 's/://')
  done
  row="| ${spec#"$CORPUS"/} | $(awk -v b="$size" 'BEGIN{printf "%.2f MB", b/1e6}')"
  for s in read parse resolve lower render format write; do
    row+=" | $(printf '%s\n' ${stage[$s]} | median)"
  done
  total=$(printf '%s\n' "${walls[@]}" | median)
  floor=$("$FLOOR" "$spec" | cut -f2)
  row+=" | $(awk -v t="$total" 'BEGIN{printf "%.0f", t*1000}') | $floor | $(awk -v t="$total" -v f="$floor" 'BEGIN{printf "%.1f×", t*1000/f}')"
  row+=" | $(awk -v k="$rss" 'BEGIN{printf "%.1f MB", k*1024/1e6}') | $(awk -v k="$rss" -v b="$size" 'BEGIN{printf "%.1f×", k*1024/b}') |"
  echo "$row"
  unset stage
done

# The process's own floor: the same run on the smallest possible spec.
printf 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths: {}\n' > "$OUT/minimal.yaml"
floor_kb=0
for i in 1 2 3; do
  rm -rf "$OUT/run"
  /usr/bin/time -f "%M" -o "$OUT/time" "$BIN" generate "$OUT/minimal.yaml" --out "$OUT/run" >/dev/null 2>&1
  kb=$(cat "$OUT/time"); [ "$kb" -gt "$floor_kb" ] && floor_kb=$kb
done

echo
echo "## Peak RSS on every corpus spec"
echo
echo "Floor (an empty spec, the process's own memory): $(awk -v k="$floor_kb" 'BEGIN{printf "%.1f MB", k*1024/1e6}')."
echo
echo "| spec | size | peak RSS | RSS / size | (RSS − floor) / size |"
echo "|---|---|---|---|---|"
tail -n +2 "$CORPUS/INDEX.tsv" | cut -f1 | while read -r rel; do
  spec="$CORPUS/$rel"
  size=$(stat -c %s "$spec")
  rm -rf "$OUT/run"
  if /usr/bin/time -f "%M" -o "$OUT/time" "$BIN" generate "$spec" --out "$OUT/run" >/dev/null 2>&1; then
    kb=$(cat "$OUT/time")
    echo "| $rel | $size B | $(awk -v k="$kb" 'BEGIN{printf "%.1f MB", k*1024/1e6}') | $(awk -v k="$kb" -v b="$size" 'BEGIN{printf "%.1f×", k*1024/b}') | $(awk -v k="$kb" -v f="$floor_kb" -v b="$size" 'BEGIN{printf "%.1f×", (k-f)*1024/b}') |"
  else
    echo "| $rel | $size B | failed | | |"
  fi
done
