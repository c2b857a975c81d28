#!/usr/bin/env bash
# The runtime benchmarks that need PostgreSQL: installs the server when it
# is missing, starts a throwaway cluster (scripts/postgres.sh), runs
# `benches/runtime/benches/latency.rs`, `long_streams.rs`, `service.rs`
# and `policies.rs` against it,
# and stops the cluster.
# Arguments go to `cargo bench`; ESGEN_BENCH_ROUNDS sets the rounds.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/postgres.sh
source scripts/postgres.sh start
# cqrs-es's MemStore prints two lines per command on standard output; the
# report is on standard error.
cargo bench -p esgen-runtime-bench --bench latency "$@" >/dev/null
# One command on a 100,000-event stream, and eight writers on one stream,
# with and without snapshots.
cargo bench -p esgen-runtime-bench --bench long_streams "$@" >/dev/null
# The generated HTTP service against a hand-written axum handler, on
# SQLite and on PostgreSQL.
cargo bench -p esgen-runtime-bench --bench service "$@" >/dev/null
# A policy's subscription against a hand-written polling loop, on SQLite
# and on PostgreSQL.
cargo bench -p esgen-runtime-bench --bench policies "$@" >/dev/null
