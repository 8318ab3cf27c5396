#!/usr/bin/env bash
# Requests/s and p99 of GET-by-id and POST-with-validation, in one run, for:
#   - the generated petstore server, full middleware stack (`app`)
#   - the generated router alone (`STACK=bare`), the same stack as the hand-written one
#   - a hand-written axum service (benches/server/src/bin/handwritten.rs), bare and with
#     the tower-http layers a production service adds by hand (`STACK=full`)
#   - FastAPI + uvicorn (benches/fastapi_app.py, pydantic validation)
# Load comes from `wrk` (Debian package) when installed: wrk pinned to core 1 and each
# server pinned to core 0 (taskset), so every server gets exactly one core and the load
# generator cannot steal it (FastAPI then runs one worker). Without wrk, the closed-loop
# generator benches/server/src/bin/load.rs shares both cores with the server.
# Usage: benches/server.sh [SECONDS] [CONNECTIONS]   → benches/RESULTS.md
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN="${1:-10}"
CONNECTIONS="${2:-32}"
OUT=target/bench
mkdir -p "$OUT"
export CARGO_TARGET_DIR="$PWD/$OUT/target"

rm -rf "$OUT/petstore"   # fresh scaffold: its Cargo.toml must list today's dependencies
cargo run --release -q -- generate specs/petstore.yaml --out "$OUT/petstore" >/dev/null
(cd benches/server && cargo build --release -q)
BIN="$CARGO_TARGET_DIR/release"

if [ ! -x "$OUT/venv/bin/uvicorn" ]; then
  python3 -m venv "$OUT/venv"
  "$OUT/venv/bin/pip" install -q "fastapi" "uvicorn[standard]"
fi

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

start() { # name command... → sets ADDR
  local log="$OUT/$1.log"; shift
  "$@" >"$log" 2>&1 &
  PIDS+=($!)
  ADDR=""
  for _ in $(seq 1 100); do
    ADDR=$(grep -om1 'http://127.0.0.1:[0-9]*' "$log" || true)
    [ -n "$ADDR" ] && break
    sleep 0.1
  done
  [ -n "$ADDR" ] || { echo "server did not start"; cat "$log"; exit 1; }
  sleep 0.5
}

GET_PATH=/v1/pets/00000000-0000-0000-0000-000000000001
POST_BODY='{"name":"Rex","status":"available","tags":["dog","good"],"weightKg":12.5}'
RESULTS="$OUT/results.tsv"
: >"$RESULTS"

# wrk comes from Debian; install it when missing (the fallback generator shares the
# server's cores and skews the comparison).
if ! command -v wrk >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo -n"
  $SUDO apt-get install -y -qq wrk >/dev/null 2>&1 \
    || { $SUDO apt-get update -qq >/dev/null 2>&1 && $SUDO apt-get install -y -qq wrk >/dev/null 2>&1; } \
    || echo "note: could not install wrk; using the built-in load generator"
fi

PIN=""
LOADER="own closed-loop generator (benches/server/src/bin/load.rs) sharing both cores with the server"
if command -v wrk >/dev/null 2>&1 && command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then
  PIN="taskset -c 0"
  LOADER="wrk (1 thread) pinned to core 1, each server pinned to core 0"
  {
    echo 'wrk.method = "POST"'
    echo "wrk.body = '$POST_BODY'"
    echo 'wrk.headers["Content-Type"] = "application/json"'
  } >"$OUT/post.lua"
fi

wrk_json() { # wrk --latency output on stdin → the load tool's JSON line
  python3 -c '
import re, sys
t = sys.stdin.read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
def ms(label):
    m = re.search(label + r"\s+([\d.]+)(us|ms|s)\b", t)
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
total = re.search(r"(\d+) requests in", t).group(1)
print("{\"requests\":%s,\"rps\":%.0f,\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"non_2xx\":%s}" % (total, rps, ms("50%"), ms("99%"), bad.group(1) if bad else 0))
'
}

measure() { # name
  local get post
  if [ -n "$PIN" ]; then
    get=$(taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency \
      -H "Authorization: Bearer secret-token" "$ADDR$GET_PATH" | wrk_json)
    post=$(taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency \
      -H "Authorization: Bearer secret-token" -s "$OUT/post.lua" "$ADDR/v1/pets" | wrk_json)
  else
    get=$("$BIN/load" "$ADDR$GET_PATH" GET - "$CONNECTIONS" "$SECONDS_PER_RUN")
    post=$("$BIN/load" "$ADDR/v1/pets" POST "$POST_BODY" "$CONNECTIONS" "$SECONDS_PER_RUN")
  fi
  printf '%s\t%s\t%s\n' "$1" "$get" "$post" >>"$RESULTS"
  echo "$1 GET $get"
  echo "$1 POST $post"
}

export BIND_ADDR=127.0.0.1:0
start generated $PIN "$BIN/generated"; measure "generated (full middleware)"; kill "${PIDS[-1]}"
STACK=bare start generated-bare $PIN "$BIN/generated"; measure "generated (router only)"; kill "${PIDS[-1]}"
start handwritten $PIN "$BIN/handwritten"; measure "hand-written axum"; kill "${PIDS[-1]}"
STACK=full start handwritten-full $PIN "$BIN/handwritten"; measure "hand-written axum + tower-http stack"; kill "${PIDS[-1]}"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
WORKERS=2; [ -n "$PIN" ] && WORKERS=1
$PIN "$OUT/venv/bin/uvicorn" fastapi_app:app --app-dir benches --host 127.0.0.1 --port "$PORT" \
  --workers "$WORKERS" --log-level warning >"$OUT/fastapi.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT$GET_PATH" >/dev/null 2>&1 && break; sleep 0.2; done
ADDR="http://127.0.0.1:$PORT"; measure "FastAPI + uvicorn"
pkill -f "uvicorn fastapi_app:app" || true

python3 - "$RESULTS" "$SECONDS_PER_RUN" "$CONNECTIONS" "$LOADER" "$WORKERS" <<'PY'
import json, sys, os, datetime
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
data = {name: (json.loads(g), json.loads(p)) for name, g, p in rows}
base = data["hand-written axum"]
fast = data["FastAPI + uvicorn"]
lines = [
    "# Server benchmark",
    "",
    f"`benches/server.sh {sys.argv[2]} {sys.argv[3]}` on {datetime.date.today()}, {os.cpu_count()} cores. "
    f"Load: {sys.argv[4]}; {sys.argv[3]} keep-alive connections, {sys.argv[2]} s per run. FastAPI: uvicorn "
    f"(uvloop, httptools), {sys.argv[5]} worker(s). GET = `GET /v1/pets/{{id}}`; POST = `POST /v1/pets` with a "
    "JSON body validated against the spec and a bearer token checked by the auth hook.",
    "",
    "| server | GET req/s | GET p99 ms | POST req/s | POST p99 ms | GET vs hand-written | POST vs hand-written | GET vs FastAPI | POST vs FastAPI | non-2xx |",
    "|---|---|---|---|---|---|---|---|---|---|",
]
for name, (g, p) in data.items():
    lines.append(
        f"| {name} | {g['rps']:.0f} | {g['p99_ms']:.2f} | {p['rps']:.0f} | {p['p99_ms']:.2f} | "
        f"{g['rps']/base[0]['rps']:.2f}× | {p['rps']/base[1]['rps']:.2f}× | "
        f"{g['rps']/fast[0]['rps']:.1f}× | {p['rps']/fast[1]['rps']:.1f}× | {g['non_2xx'] + p['non_2xx']} |"
    )
full, hand_full = data.get("generated (full middleware)"), data.get("hand-written axum + tower-http stack")
if full and hand_full:
    lines += [
        "",
        f"Like for like (both with request ids, tracing, panic catching, CORS, timeout and body limit; the generated "
        f"stack also keeps Prometheus metrics and shapes error bodies): the generated server runs at "
        f"{full[0]['rps']/hand_full[0]['rps']:.2f}× (GET) and {full[1]['rps']/hand_full[1]['rps']:.2f}× (POST) "
        f"the hand-written service with the tower-http stack.",
    ]
open("benches/RESULTS.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
