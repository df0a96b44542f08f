#!/usr/bin/env bash
# Times the contract suite (tests/SdApi.Contract.Tests: WireMock, Prism, reference server, sdapi verify) the way
# `dotnet test Bindings.sln` runs it, already built. Baseline, same run: the same test host with a filter that selects
# no test (process start, discovery, fixture-free). Writes the "Contract suite" section of bench/RESULTS.md.
# Usage: bash bench/ContractSuite/run.sh [runs]   (default 1 timed run; ART=artifacts folder)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
runs="${1:-1}"
art="${ART:-/tmp/art-contract-bench}"
proj=tests/SdApi.Contract.Tests/SdApi.Contract.Tests.csproj
build_log="$(mktemp)"
dotnet build "$proj" --artifacts-path "$art" -v q -nologo >"$build_log" 2>&1 || { cat "$build_log"; exit 1; }
rm -f "$build_log"

TIMEFORMAT='%R %U %S'
measure() { # prints "wall user sys" of one dotnet test run; the test log goes to $log
  { time dotnet test "$proj" --artifacts-path "$art" --no-build "$@" >"$log" 2>&1 || true; } 2>&1 | tail -1
}
log="$(mktemp)"
load_before="$(cut -d' ' -f1 /proc/loadavg)"
read -r b_wall b_user b_sys < <(measure --filter "FullyQualifiedName=None.Selects.No.Test")
rows=""
for i in $(seq 1 "$runs"); do
  read -r wall user sys < <(measure)
  summary="$(grep -E '^(Passed|Failed)!' "$log" | tail -1 | sed 's/ - SdApi.Contract.Tests.dll.*//')"
  rows+="| $i | $wall | $(echo "scale=2; $wall / $b_wall" | bc) | $(cut -d' ' -f1 /proc/loadavg) | $summary |"$'\n'
done
load_after="$(cut -d' ' -f1 /proc/loadavg)"
rm -f "$log"

section="## Contract suite

Measured $(date -u '+%Y-%m-%d %H:%M') UTC by \`bash bench/ContractSuite/run.sh\`: \`dotnet test\` of tests/SdApi.Contract.Tests, built
(what \`dotnet test Bindings.sln\` spends on it), against a baseline in the same run: the same command selecting no test
(${b_wall} s wall). Machine: $(nproc) logical cores shared with other jobs (load average ${load_before} before / ${load_after} after; a higher
load inflates the wall times). Goal: under 60 s wall.

| run | wall s | wall / baseline | load average after | tests |
|---|---|---|---|---|
${rows}"
python3 - "$root/bench/RESULTS.md" "$section" <<'PY'
import re, sys
path, section = sys.argv[1], sys.argv[2].rstrip() + "\n"
try:
    text = open(path).read()
except FileNotFoundError:
    text = "# Benchmark results\n"
pattern = re.compile(r"^## Contract suite\n.*?(?=^## |\Z)", re.S | re.M)
text = pattern.sub(lambda _: section + "\n", text) if pattern.search(text) else text.rstrip() + "\n\n" + section
open(path, "w").write(text)
PY
echo "$section"
