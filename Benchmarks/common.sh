# Sourced by the end-to-end benchmarks, from the repository root: installs what is missing, builds
# the release binary and sets $bin.
scripts/bootstrap
swift build -c release --product logfold >/dev/null
bin="$(swift build -c release --show-bin-path)/logfold"

# synthetic_log CUSTOMERS DAYS prints the path of the seed-1 synthetic log of that size, generating it
# the first time (into Journal/generated/, which git ignores).
synthetic_log() {
    local log="Journal/generated/year-1-${1}x${2}.jsonl"
    mkdir -p Journal/generated
    if [ ! -s "$log" ]; then
        /usr/bin/time -f "generate: %e s, peak RSS %M KiB" "$bin" generate --seed 1 --customers "$1" --days "$2" \
            --out "$log" >&2
    fi
    echo "$log"
}
