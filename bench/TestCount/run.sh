#!/usr/bin/env bash
# Counts, per test project of Bindings.sln, the distinct test methods (`dotnet test --list-tests`, display names with
# their arguments cut off) beside the data rows the test run executes (the "Total" of a `dotnet test` log).
# Usage: bash bench/TestCount/run.sh TEST_LOG   (TEST_LOG: the output of `dotnet test Bindings.sln`; projects built)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
log="${1:?the output of dotnet test Bindings.sln}"
printf '| project | distinct test methods | data rows run |\n|---|---|---|\n'
methods_total=0; rows_total=0
for proj in tests/*/*.Tests.csproj; do
  name="$(basename "$proj" .csproj)"
  methods="$(dotnet test "$proj" --no-build --list-tests 2>/dev/null | sed -n '/The following Tests are available:/,$p' | tail -n +2 \
    | sed -E 's/^[[:space:]]+//; s/\(.*$//' | grep -v '^$' | sort -u | wc -l)"
  rows="$(grep -E "^(Passed|Failed)!.*- $name\.dll" "$log" | sed -E 's/.*Total: *([0-9]+).*/\1/' | tail -1)"
  rows="${rows:-0}"
  methods_total=$((methods_total + methods)); rows_total=$((rows_total + rows))
  printf '| %s | %s | %s |\n' "$name" "$methods" "$rows"
done
printf '| **all** | **%s** | **%s** |\n' "$methods_total" "$rows_total"
