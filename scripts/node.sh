#!/usr/bin/env bash
# Node.js for the tools the tests run (scripts/asyncapi.sh,
# scripts/textmate.sh): installs it from Debian's packages when it is
# missing. Sourced; `node_packages DIR PACKAGE…` installs npm packages into
# DIR once.
node_install() {
  if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
    return
  fi
  echo "node.sh: installing Node.js from Debian's packages" >&2
  local sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
}

node_packages() {
  local dir=$1 package missing=""
  shift
  for package in "$@"; do
    [ -d "$dir/node_modules/${package%@*}" ] || missing=1
  done
  if [ -n "$missing" ]; then
    mkdir -p "$dir"
    npm install --silent --no-audit --no-fund --prefix "$dir" "$@" >&2
  fi
}

node_install
