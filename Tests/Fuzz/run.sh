#!/usr/bin/env bash
# Builds and runs the libFuzzer targets in Tests/Fuzz (see Tests/Fuzz/README.md).
#
# Usage: Tests/Fuzz/run.sh [-n RUNS] [TARGET...]
#   -n RUNS   executions per target (default 1000000)
#   TARGET    FuzzShellParser, FuzzLineDecoder, FuzzGzip (default: all three)
# Environment:
#   FUZZ_CONFIG      release (default, about twice as fast) or debug; both build with testability
#                    (FuzzGzip uses @testable import) and instrument HarnessAuditKit too
#   FUZZ_BUILD_DIR   swift build scratch path (default /tmp/fuzz-build; never the package's .build)
#   FUZZ_CRASH_DIR   crashing inputs go to $FUZZ_CRASH_DIR/<target>/ (default /tmp/fuzz-crashes)
#   FUZZ_KEEP_GOING  1: fork mode with -ignore_crashes/-ignore_timeouts/-ignore_ooms, so fuzzing goes on to
#                    RUNS executions after a crash (every crash is still saved, and still fails the script)
#   FUZZ_FLAGS       extra libFuzzer flags, e.g. "-jobs=2" or "-dict=..."
# Each target fuzzes a copy of Tests/Fuzz/corpus/<target> in a temporary directory (removed afterwards), so
# nothing is written into the repository. Exit status: 0 when no target crashed, 1 otherwise, 2 on a build error.
set -u -o pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
runs=1000000
if [ "${1:-}" = "-n" ]; then runs=$2; shift 2; fi
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(FuzzShellParser FuzzLineDecoder FuzzGzip)
config=${FUZZ_CONFIG:-release}
build=${FUZZ_BUILD_DIR:-/tmp/fuzz-build}
crashes=${FUZZ_CRASH_DIR:-/tmp/fuzz-crashes}

# -sanitize=fuzzer on every Swift target: libFuzzer then sees coverage inside HarnessAuditKit, not just the harness.
swift_build() {
    HARNESS_AUDIT_FUZZ=1 swift build --package-path "$root" --scratch-path "$build" -c "$config" \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing "$@"
}

for t in "${targets[@]}"; do
    echo "== building $t ($config)"
    # gold warns once per ASan helper symbol ("Cannot export local symbol"): harmless, filtered out.
    swift_build --product "$t" 2>&1 | grep -v "Cannot export local symbol"
    if [ "${PIPESTATUS[0]}" -ne 0 ]; then
        echo "build of $t failed" >&2
        exit 2
    fi
done
bin=$(swift_build --show-bin-path)

status=0
for t in "${targets[@]}"; do
    case $t in
        FuzzGzip) max_len=65536 ;;
        *) max_len=4096 ;;
    esac
    work=$(mktemp -d "${TMPDIR:-/tmp}/harness-audit-fuzz.$t.XXXXXX")
    mkdir -p "$work/corpus" "$crashes/$t"
    cp "$root/Tests/Fuzz/corpus/$t/"* "$work/corpus/"
    flags=(-runs="$runs" -max_len="$max_len" -timeout=30 -print_final_stats=1 -artifact_prefix="$crashes/$t/")
    if [ "${FUZZ_KEEP_GOING:-0}" = 1 ]; then
        flags+=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
    fi
    echo "== $t: $bin/$t ${flags[*]} ${FUZZ_FLAGS:-} <copy of corpus/$t>"
    start=$(date +%s)
    # The Swift runtime's backtracer would otherwise take over the crash signal from libFuzzer.
    # shellcheck disable=SC2086
    (cd "$work" && SWIFT_BACKTRACE=enable=no "$bin/$t" "${flags[@]}" ${FUZZ_FLAGS:-} corpus > log 2>&1)
    rc=$?
    seconds=$(( $(date +%s) - start ))
    log="$work/log"
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    # Fork mode prints no final stats: take the last "#N:" progress line.
    [ -z "$execs" ] && execs=$(grep -o '^#[0-9]*' "$log" | tr -d '#' | tail -1)
    execs=${execs:-0}
    found=$(grep -c '^SUMMARY\|^==[0-9]*== ERROR' "$log")
    echo "$t: exit $rc, $execs executions in ${seconds}s ($(( execs / (seconds > 0 ? seconds : 1) )) exec/s)"
    if [ "$rc" -ne 0 ]; then
        status=1
        grep -E '^(SUMMARY|==[0-9]+== ERROR)|Fatal error|Test unit written|oom/timeout/crash' "$log" | tail -8
        cp "$log" "$crashes/$t/libfuzzer-$(date +%Y%m%d-%H%M%S).log"
        echo "crashing inputs and the log: $crashes/$t/ ($found crash report(s) in this run)"
    fi
    rm -rf "$work"
done
exit $status
