#!/usr/bin/env bash
# esgen against prost-build, side by side, in one run: the same domain as a
# spec and as protobuf files (benches/support/versus.rs: M models, each an
# entity of seven fields, six queries and 10 actions), then
#
#   1. generating: a first `esgen build` of the spec against prost-build
#      (protoc included) on the proto files, each into a new directory,
#      alternating; wall time and peak memory, medians;
#   2. the output: bytes and lines written;
#   3. compiling: `cargo check` and `cargo build` of esgen's crate against a
#      crate of prost's output, dependencies built first, then the crate
#      alone from scratch (no incremental cache); wall time and peak
#      memory, medians;
#
# and prints esgen/prost ratios. Not part of the tests or of CI: it takes
# about ten minutes, and installs protoc (Debian's protobuf-compiler) if it
# is missing.
#
#   bash benches/versus-prost.sh
#
# Settings (environment): ESGEN_VERSUS_SIZES (models, default "100 1000"),
# ESGEN_VERSUS_RUNS (generator runs per tool and size, default 7),
# ESGEN_VERSUS_CHECKS (compile runs per tool, default 3; at the largest
# size one), ESGEN_VERSUS_COMPILE (sizes whose crates are compiled, default
# "100 1000"; the largest only checked), ESGEN_VERSUS_DIR (work directory,
# default target/versus; a previous run's is deleted at the end).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
sizes=${ESGEN_VERSUS_SIZES:-"100 1000"}
runs=${ESGEN_VERSUS_RUNS:-7}
checks=${ESGEN_VERSUS_CHECKS:-3}
compile=${ESGEN_VERSUS_COMPILE:-"100 1000"}
work=${ESGEN_VERSUS_DIR:-$root/target/versus}
actions=10
# rustc on a crate too big for the machine fails its own allocation here
# rather than waking the kernel's OOM killer.
memory_cap_kb=16000000

say() { printf '%s\n' "$*" >&2; }

if ! command -v protoc >/dev/null; then
    say "installing protoc (protobuf-compiler)"
    if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q protobuf-compiler >/dev/null
fi

say "building esgen and prost-gen (release)"
cargo build --release -q --manifest-path "$root/Cargo.toml" --bin esgen --example versus_prost
cargo build --release -q --manifest-path "$root/benches/versus-prost/Cargo.toml" \
    --target-dir "$root/target/versus-prost"
esgen=$root/target/release/esgen
prost_gen=$root/target/versus-prost/release/prost-gen
maker=$root/target/release/examples/versus_prost

# Each compile is of the crate from scratch (its dependencies built): no
# incremental cache, as in CI or after a regeneration that touches most
# files. `touch` alone with the cache would mostly measure the cache.
export CARGO_INCREMENTAL=0

# A previous run's files are deleted at the end, not now: ext4 skips the
# inodes it freed in the last minutes when it allocates new ones, which
# would slow whichever tool creates more files (esgen: about twice as many).
if [ -e "$work" ]; then
    mv "$work" "$work.old.$$"
fi
trap 'rm -rf "$work.old.$$"' EXIT
mkdir -p "$work"
results=$work/results
: > "$results"

# `measure KEY CMD...`: runs CMD under /usr/bin/time and appends
# "KEY seconds kilobytes" to the results; when CMD fails, says why, appends
# "KEY failed seconds kilobytes" and returns 1.
measure() {
    local key=$1
    shift
    local t=$work/time.$$
    if ! /usr/bin/time -f '%e %M' -o "$t" "$@" >/dev/null 2>"$work/last.err"; then
        say "failed: $*"
        tail -n 20 "$work/last.err" >&2
        printf '%s failed %s\n' "$key" "$(tail -n 1 "$t")" >> "$results"
        return 1
    fi
    printf '%s %s\n' "$key" "$(tail -n 1 "$t")" >> "$results"
}

# `median KEY COLUMN`: the median of a column (2 seconds, 3 kilobytes).
median() {
    awk -v k="$1" -v c="$2" '$1 == k && $2 != "failed" { print $c }' "$results" | sort -g |
        awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0 || a == "nan" || b == "nan") print "-"; else printf "%.2f", a / b }'; }

for m in $sizes; do
    say "generating: $m models x $actions actions"
    in=$work/input-$m
    "$maker" "$m" "$actions" "$in"
    for i in $(seq 1 "$runs"); do
        # Every run a first build: a new directory, no lock beside the spec.
        rm -f "$in/shops.lock"
        if [ $((i % 2)) = 1 ]; then
            measure "esgen-gen-$m" "$esgen" build "$in/shops.ddd" --out "$work/esgen-$m-$i"
            measure "prost-gen-$m" "$prost_gen" "$work/prost-$m-$i" "$in/proto" "$in"/proto/*.proto
        else
            measure "prost-gen-$m" "$prost_gen" "$work/prost-$m-$i" "$in/proto" "$in"/proto/*.proto
            measure "esgen-gen-$m" "$esgen" build "$in/shops.ddd" --out "$work/esgen-$m-$i"
        fi
    done
    printf 'esgen-bytes-%s %s %s\n' "$m" \
        "$(find "$work/esgen-$m-1" -type f -print0 | du -cb --files0-from=- | tail -n 1 | cut -f 1)" \
        "$(find "$work/esgen-$m-1" -name '*.rs' -print0 | xargs -0 cat | wc -l)" >> "$results"
    printf 'prost-bytes-%s %s %s\n' "$m" \
        "$(find "$work/prost-$m-1" -type f -print0 | du -cb --files0-from=- | tail -n 1 | cut -f 1)" \
        "$(find "$work/prost-$m-1" -name '*.rs' -print0 | xargs -0 cat | wc -l)" >> "$results"
done

largest=$(printf '%s\n' $compile | sort -n | tail -n 1)
for m in $compile; do
    # esgen's crate as built; prost's output as the modules of a crate.
    e=$work/esgen-$m-1
    p=$work/prost-crate-$m
    cp "$root/Cargo.lock" "$e/"
    mkdir -p "$p/src"
    cp "$root/benches/versus-prost/Cargo.lock" "$p/"
    cat > "$p/Cargo.toml" <<'EOF'
[package]
name = "prost-shops"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
prost = "0.14"

[workspace]
EOF
    cp "$work/prost-$m-1"/*.rs "$p/src/"
    (cd "$p/src" && for f in shop*.rs; do echo "pub mod ${f%.rs};"; done) > "$p/lib.rs.new"
    mv "$p/lib.rs.new" "$p/src/lib.rs"

    n=$checks
    kinds="check build"
    if [ "$m" = "$largest" ] && [ "$m" != "$(printf '%s\n' $compile | sort -n | head -n 1)" ]; then
        n=1
        kinds="check"
    fi
    for kind in $kinds; do
        say "compiling: cargo $kind, $m models, dependencies first"
        for crate in "$e" "$p"; do
            (cd "$crate" && export CARGO_TARGET_DIR=$crate/target &&
                { cargo "$kind" -q --offline 2>/dev/null || cargo "$kind" -q; })
        done
        for i in $(seq 1 "$n"); do
            for who in esgen prost; do
                if [ $((i % 2)) = 0 ]; then who=$([ "$who" = esgen ] && echo prost || echo esgen); fi
                crate=$e
                [ "$who" = prost ] && crate=$p
                touch "$crate/src/lib.rs"
                # A crate too big for the cap is reported, not fatal.
                (cd "$crate" && ulimit -v $memory_cap_kb && export CARGO_TARGET_DIR=$crate/target &&
                    measure "$who-$kind-$m" cargo "$kind" -q --offline) || true
            done
        done
    done
done

# The report.
mb() { awk -v k="$1" 'BEGIN { printf "%.0f MiB", k / 1024 }'; }
line() { printf '| %-34s | %14s | %14s | %6s |\n' "$@"; }
echo
echo "esgen against prost-build: $actions actions per model, medians ($runs generator runs, $checks compile runs; one at the largest size)"
echo
line "measure" "esgen" "prost-build" "ratio"
line "---" "---" "---" "---"
previous=""
for m in $sizes; do
    et=$(median "esgen-gen-$m" 2)
    pt=$(median "prost-gen-$m" 2)
    em=$(median "esgen-gen-$m" 3)
    pm=$(median "prost-gen-$m" 3)
    line "first build, $m models: time" "$et s" "$pt s" "$(ratio "$et" "$pt")"
    line "first build, $m models: memory" "$(mb "$em")" "$(mb "$pm")" "$(ratio "$em" "$pm")"
    eb=$(awk -v k="esgen-bytes-$m" '$1 == k { print $2 }' "$results")
    pb=$(awk -v k="prost-bytes-$m" '$1 == k { print $2 }' "$results")
    el=$(awk -v k="esgen-bytes-$m" '$1 == k { print $3 }' "$results")
    pl=$(awk -v k="prost-bytes-$m" '$1 == k { print $3 }' "$results")
    line "output, $m models: bytes" "$eb" "$pb" "$(ratio "$eb" "$pb")"
    line "output, $m models: Rust lines" "$el" "$pl" "$(ratio "$el" "$pl")"
    if [ -n "$previous" ]; then
        line "first build, x$((m / previous)) input: time" "x$(ratio "$et" "$(median "esgen-gen-$previous" 2)")" \
            "x$(ratio "$pt" "$(median "prost-gen-$previous" 2)")" ""
    fi
    previous=$m
done
for m in $compile; do
    for kind in check build; do
        for who in esgen prost; do
            if grep -q "^$who-$kind-$m failed" "$results"; then
                line "cargo $kind, $m models: $who" "failed" "" ""
            fi
        done
        et=$(median "esgen-$kind-$m" 2)
        [ "$et" = nan ] && continue
        pt=$(median "prost-$kind-$m" 2)
        em=$(median "esgen-$kind-$m" 3)
        pm=$(median "prost-$kind-$m" 3)
        line "cargo $kind, $m models: time" "$et s" "$pt s" "$(ratio "$et" "$pt")"
        line "cargo $kind, $m models: memory" "$(mb "$em")" "$(mb "$pm")" "$(ratio "$em" "$pm")"
    done
done
echo
echo "raw measurements: $results"
