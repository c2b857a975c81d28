#!/usr/bin/env bash
# Every test: installs PostgreSQL when it is missing, starts a throwaway
# cluster for the tests that store events, runs `cargo test --workspace`
# (arguments are passed on), and stops the cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/postgres.sh
source scripts/postgres.sh start
cargo test --workspace "$@"
