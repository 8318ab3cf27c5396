#!/usr/bin/env bash
# Generate and compile (cargo clippy -D warnings) every spec of a corpus; writes
# target/corpus/REPORT.md. Usage: scripts/corpus.sh [CORPUS_DIR] [--only SUBSTRING]
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run --release --example corpus -- "${@:-${OAPI_FORGE_CORPUS:-../shared/corpus}}"
