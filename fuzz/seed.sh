#!/bin/sh
# Seeds the fuzzer's corpus with every example spec and every malformed
# fixture: `fuzz/seed.sh && cargo +nightly fuzz run compile`.
set -eu
here=$(dirname "$0")
mkdir -p "$here/corpus/compile"
cp "$here"/../specs/*.ddd "$here"/../tests/fixtures/errors/*.ddd "$here/corpus/compile/"
