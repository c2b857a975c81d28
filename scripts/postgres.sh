#!/usr/bin/env bash
# PostgreSQL for the tests: installs the server from Debian's packages when
# it is missing, and, when sourced with `start`, runs a throwaway cluster
# (initdb in a temporary directory, a free port on 127.0.0.1, fsync off)
# until the shell that sourced it exits.
#
#   bash scripts/postgres.sh install     install the server if missing
#   source scripts/postgres.sh start     start a cluster; exports
#                                        ESGEN_TEST_DATABASE_URL, stops it
#                                        (and deletes it) on exit; exports
#                                        ESGEN_TEST_PG_BIN (initdb, pg_ctl)
#                                        and ESGEN_TEST_PG_AS (the user they
#                                        run as, empty for the current one)
#                                        for tests that stop a cluster of
#                                        their own
set -euo pipefail

pg_bin() {
  local dir
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
    return
  fi
  for dir in /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return
    fi
  done
  return 1
}

pg_install() {
  if pg_bin >/dev/null; then
    return
  fi
  echo "postgres.sh: installing PostgreSQL from Debian's packages" >&2
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    sudo="sudo"
  fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  pg_bin >/dev/null
}

# A port nothing listens on.
pg_free_port() {
  local port
  for port in $(seq 55432 55632); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  return 1
}

pg_start() {
  pg_install
  local bin dir port as=()
  bin=$(pg_bin)
  dir=$(mktemp -d "${TMPDIR:-/tmp}/esgen-pg.XXXXXX")
  port=$(pg_free_port)
  # initdb refuses to run as root: the cluster then belongs to `postgres`.
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$dir"
    as=(runuser -u postgres --)
  fi
  "${as[@]}" "$bin/initdb" -D "$dir/data" -U esgen --auth=trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; return 1; }
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null \
    || { cat "$dir/server.log" >&2; return 1; }
  ESGEN_PG_DIR="$dir"
  ESGEN_PG_AS="${as[*]}"
  ESGEN_PG_BIN="$bin"
  export ESGEN_TEST_DATABASE_URL="postgres://esgen@127.0.0.1:$port/postgres"
  export ESGEN_TEST_PG_BIN="$bin"
  export ESGEN_TEST_PG_AS="${as[*]}"
  trap pg_stop EXIT
  echo "postgres.sh: a throwaway cluster listens on 127.0.0.1:$port" >&2
}

pg_stop() {
  if [ -n "${ESGEN_PG_DIR:-}" ]; then
    # shellcheck disable=SC2086
    $ESGEN_PG_AS "$ESGEN_PG_BIN/pg_ctl" -D "$ESGEN_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$ESGEN_PG_DIR"
    ESGEN_PG_DIR=""
  fi
}

case "${1:-}" in
  install) pg_install ;;
  start) pg_start ;;
  *) echo "usage: bash scripts/postgres.sh install | source scripts/postgres.sh start" >&2; exit 2 ;;
esac
