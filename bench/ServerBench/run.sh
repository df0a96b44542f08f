#!/usr/bin/env bash
# Server benchmark: the reference server vs a bare Kestrel endpoint returning the same bytes, measured with wrk on
# loopback in the same run (fetch/{id}, and a text2img rejected by validation); then text2img images/s with the
# built-in model at 512x512. Writes the "## Server" section of bench/RESULTS.md.
#   bash bench/ServerBench/run.sh            (DURATION=8 CONNECTIONS=16 REPEATS=2 IMAGES=8 override)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
DURATION=${DURATION:-8}; CONNECTIONS=${CONNECTIONS:-16}; REPEATS=${REPEATS:-2}; IMAGES=${IMAGES:-8}
ART=${ART:-/tmp/sdapi-serverbench}
if ! command -v wrk >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get install -y -qq wrk >/dev/null 2>&1 || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk; }
fi
dotnet build -c Release src/SdApi.Server/SdApi.Server.csproj --artifacts-path "$ART" -nologo -v q >/dev/null
dotnet build -c Release bench/ServerBench/BareEndpoint/BareEndpoint.csproj --artifacts-path "$ART" -nologo -v q >/dev/null

WORK=$(mktemp -d); KEY=bench-key
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
SERVER_PORT=$(free_port); BARE_PORT=$(free_port)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
wait_up() { for _ in $(seq 1 150); do curl -s -o /dev/null "$1" && return 0; sleep 0.2; done; echo "no answer from $1" >&2; exit 1; }

dotnet "$ART/bin/SdApi.Server/release/SdApi.Server.dll" --urls "http://127.0.0.1:$SERVER_PORT" --SdApi:DataDir="$WORK/data" \
  --SdApi:Keys:0=$KEY --SdApi:Jobs:SyncBudget=00:02:00 --SdApi:Limits:MaxQueuedPerKey=1000 --Logging:LogLevel:Default=Warning >"$WORK/server.log" 2>&1 &
PIDS+=($!)
wait_up "http://127.0.0.1:$SERVER_PORT/health"
S="http://127.0.0.1:$SERVER_PORT"
post() { curl -s -X POST -H 'Content-Type: application/json' -d "$2" "$1"; }

# A finished job to fetch, and the two answers the bare endpoint replays.
ID=$(post "$S/api/v6/images/text2img" "{\"key\":\"$KEY\",\"prompt\":\"red circle on grass\",\"width\":256,\"height\":256,\"num_inference_steps\":2}" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
FETCH_BODY="{\"key\":\"$KEY\"}"
INVALID_BODY="{\"key\":\"$KEY\",\"prompt\":\"red circle on grass\",\"width\":2000,\"height\":\"abc\",\"samples\":9}"
post "$S/api/v6/images/fetch/$ID" "$FETCH_BODY" >"$WORK/fetch.json"
ERROR_STATUS=$(curl -s -o "$WORK/error.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d "$INVALID_BODY" "$S/api/v6/images/text2img")
grep -q '"success"' "$WORK/fetch.json" || { echo "fetch did not answer success: $(cat "$WORK/fetch.json")" >&2; exit 1; }
# The rejected text2img must be the 400 validation answer with field errors, or the figure measures something else.
[ "$ERROR_STATUS" = 400 ] && grep -q '"width"' "$WORK/error.json" \
  || { echo "invalid text2img did not answer 400 with field errors: $ERROR_STATUS $(cat "$WORK/error.json")" >&2; exit 1; }

dotnet "$ART/bin/BareEndpoint/release/BareEndpoint.dll" --urls "http://127.0.0.1:$BARE_PORT" --fetch-body="$WORK/fetch.json" \
  --error-body="$WORK/error.json" --error-status="$ERROR_STATUS" >"$WORK/bare.log" 2>&1 &
PIDS+=($!)
B="http://127.0.0.1:$BARE_PORT"
wait_up "$B/"
cmp <(post "$B/api/v6/images/fetch/$ID" "$FETCH_BODY") <(post "$S/api/v6/images/fetch/$ID" "$FETCH_BODY") >/dev/null \
  || { echo "bare and server fetch bodies differ" >&2; exit 1; }

# wrk counts answers outside 2xx; for the fetch runs (all 200 expected) any such answer marks the run invalid.
rps() { # url body expect(2xx|any)
  local out; out=$(BODY="$2" wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" -s bench/ServerBench/post.lua "$1")
  if [ "$3" = 2xx ] && grep -q 'Non-2xx' <<<"$out"; then echo "$1: $(grep 'Non-2xx' <<<"$out")" >>"$WORK/non2xx"; fi
  awk '/Requests\/sec/ {print $2}' <<<"$out"
}
best() { python3 -c 'import sys; print(max(float(x) for x in sys.argv[1:]))' "$@"; }
measure() { # name path body expect -> "server bare"
  local s=() b=()
  BODY="$3" wrk -t1 -c"$CONNECTIONS" -d2s -s bench/ServerBench/post.lua "$S$2" >/dev/null   # warm-up
  BODY="$3" wrk -t1 -c"$CONNECTIONS" -d2s -s bench/ServerBench/post.lua "$B$2" >/dev/null
  for _ in $(seq 1 "$REPEATS"); do s+=("$(rps "$S$2" "$3" "$4")"); b+=("$(rps "$B$2" "$3" "$4")"); done
  echo "$(best "${s[@]}") $(best "${b[@]}")"
}
read -r FETCH_S FETCH_B < <(measure fetch "/api/v6/images/fetch/$ID" "$FETCH_BODY" 2xx)
read -r INVALID_S INVALID_B < <(measure invalid "/api/v6/images/text2img" "$INVALID_BODY" any)
[ ! -s "$WORK/non2xx" ] || { echo "fetch runs got answers outside 2xx:" >&2; cat "$WORK/non2xx" >&2; exit 1; }

# Images per second: sequential text2img requests answered within the sync budget (HTTP + job store + engine + PNG file).
GEN_BODY="{\"key\":\"$KEY\",\"prompt\":\"red circle on grass\",\"width\":512,\"height\":512,\"num_inference_steps\":30,\"samples\":1}"
# warm-up: 8 requests, so the engine's hot code is tiered up (a single request left the first row ~25% low)
for _ in $(seq 1 8); do post "$S/api/v6/images/text2img" "$GEN_BODY" >/dev/null; done
START=$(date +%s.%N)
for _ in $(seq 1 "$IMAGES"); do post "$S/api/v6/images/text2img" "$GEN_BODY" | grep -q '"success"'; done
END=$(date +%s.%N)
GEN4_BODY="${GEN_BODY/\"samples\":1/\"samples\":4}"
START4=$(date +%s.%N)
for _ in $(seq 1 $(( (IMAGES + 3) / 4 ))); do post "$S/api/v6/images/text2img" "$GEN4_BODY" | grep -q '"success"'; done
END4=$(date +%s.%N)

# What each v6 default costs: the same 1-sample request with one default turned off, then all three (about the request
# before issue 10/15 made them the defaults), each timed here in the same run; ratios are against the defaults' row.
ips_of() { # extra JSON members -> images/s over IMAGES sequential requests
  local body="${GEN_BODY%\}}${1:+,$1}}"
  post "$S/api/v6/images/text2img" "$body" | grep -q '"success"'   # warm-up, and the variant must be served
  local t0 t1; t0=$(date +%s.%N)
  for _ in $(seq 1 "$IMAGES"); do post "$S/api/v6/images/text2img" "$body" | grep -q '"success"'; done
  t1=$(date +%s.%N)
  python3 -c "print($IMAGES / ($t1 - $t0))"
}
VARIANTS=("defaults (safety_checker yes, enhance_prompt yes, UniPC)|"
  'safety_checker no|"safety_checker":"no"'
  'enhance_prompt no|"enhance_prompt":"no"'
  'scheduler PNDMScheduler|"scheduler":"PNDMScheduler"'
  'all three off|"safety_checker":"no","enhance_prompt":"no","scheduler":"PNDMScheduler"')
# REPEATS rounds, the variants alternating within each, best round per variant (the machine is shared)
for _ in $(seq 1 "$REPEATS"); do
  for v in "${VARIANTS[@]}"; do echo "${v%%|*}|$(ips_of "${v#*|}")"; done
done >"$WORK/variant-runs"
python3 - "$WORK/variant-runs" >"$WORK/variants" <<'PY'
import sys
best = {}
for line in open(sys.argv[1]):
    name, ips = line.rstrip("\n").rsplit("|", 1)
    best[name] = max(best.get(name, 0.0), float(ips))
for name, ips in best.items():
    print(f"{name}|{ips}")
PY

LOAD=$(cut -d' ' -f1 /proc/loadavg); CORES=$(nproc)
python3 - "$FETCH_S" "$FETCH_B" "$INVALID_S" "$INVALID_B" "$START" "$END" "$IMAGES" "$START4" "$END4" "$LOAD" "$CORES" \
  "$DURATION" "$CONNECTIONS" "$REPEATS" "$WORK/variants" <<'PY'
import sys, re, pathlib
fs, fb, vs, vb, st, en, n, st4, en4, load, cores, dur, conn, rep, variants_file = sys.argv[1:]
variants = [line.rsplit("|", 1) for line in pathlib.Path(variants_file).read_text().splitlines() if line]
base = float(variants[0][1])
variant_rows = "\n".join(f"| {name} | {float(ips):.2f} | {float(ips) / base:.2f} |" for name, ips in variants)
fs, fb, vs, vb = map(float, (fs, fb, vs, vb)); n = int(n)
ips1 = n / (float(en) - float(st)); batches = (n + 3) // 4; ips4 = batches * 4 / (float(en4) - float(st4))
section = f"""## Server

`bash bench/ServerBench/run.sh` (wrk on loopback, {cores} cores, load average {load} at the end of the run; other jobs share
the cores). Baseline = a bare Kestrel endpoint (`bench/ServerBench/BareEndpoint`) answering the same bytes the server
answered, measured in the same run: wrk -t1 -c{conn} -d{dur}s, best of {rep} alternating runs each.

| request | server req/s | bare Kestrel req/s | server / bare | goal |
|---|---|---|---|---|
| `POST /api/v6/images/fetch/{{id}}` (finished job: body read, key check, cached answer) | {fs:.0f} | {fb:.0f} | {fs/fb:.2f} | >= 0.8 |
| `POST /api/v6/images/text2img` rejected by validation (400, field errors) | {vs:.0f} | {vb:.0f} | {vs/vb:.2f} | >= 0.8 |

text2img with the built-in model at 512x512, 30 steps, sequential requests answered `success` within the sync budget
(HTTP, job row, engine, PNG written to the data folder):

| samples per request | images/s |
|---|---|
| 1 | {ips1:.2f} |
| 4 | {ips4:.2f} |

What the v6 defaults cost: the 1-sample request with a default turned off, {n} sequential requests each, best of {rep}
alternating rounds, same run (ratio = images/s against the defaults' row). The defaults' row is the same request as the
1-sample row above, measured later in the run: the gap between them is where they sit in the run (the 1-sample row right
after the wrk runs; 8 warm-up requests instead of 1 did not close it), not the request:

| request | images/s | ratio |
|---|---|---|
{variant_rows}
"""
path = pathlib.Path("bench/RESULTS.md")
text = path.read_text() if path.exists() else "# Benchmark results\n"
pattern = re.compile(r"^## Server\n.*?(?=^## |\Z)", re.S | re.M)
text = pattern.sub(section + "\n", text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
path.write_text(text)
print(section)
PY
