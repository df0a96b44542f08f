#!/usr/bin/env bash
# Hostile-client figures for bench/RESULTS.md ("Hardening"): the long fuzz run, RSS under 4 clients x N bodies of
# 10 MB with each GC setting, RSS over many generations. Each mode starts its own Release server process.
#   bash bench/HardenBench/run.sh      (FUZZ=10000 SEED=1 BODIES=800 IDLE=20 GENERATIONS=1000 override)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
FUZZ=${FUZZ:-10000}; SEED=${SEED:-1}; BODIES=${BODIES:-800}; IDLE=${IDLE:-20}; GENERATIONS=${GENERATIONS:-1000}
dotnet build -c Release src/SdApi.Server/SdApi.Server.csproj -nologo -v q >/dev/null
dotnet build -c Release bench/HardenBench/HardenBench.csproj -nologo -v q >/dev/null
SERVER="src/SdApi.Server/bin/Release/net10.0/SdApi.Server.dll"
BENCH="dotnet bench/HardenBench/bin/Release/net10.0/HardenBench.dll"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg), cores: $(nproc)"
$BENCH fuzz "$SERVER" "$FUZZ" "$SEED"
for gc in server workstation conserve; do $BENCH bodies "$SERVER" "$gc" 4 "$BODIES" 10 "$IDLE"; done
$BENCH generations "$SERVER" default "$GENERATIONS"
