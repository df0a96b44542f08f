#!/usr/bin/env bash
# Installs the pinned npm tools (package.json + package-lock.json) into node_modules/ when they are missing or stale.
# Safe to call from several builds at once: a lock serialises installs, and a stamp holding the lockfile's hash
# makes later calls a no-op. `--ignore-scripts`: no package needs an install script, and none may download anything.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
stamp="node_modules/.sdapi-stamp"
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then exit 0; fi
exec 9>"$root/.npm-ci.lock"
flock 9
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then exit 0; fi
command -v npm >/dev/null || { echo "npm is required (Node.js 20+): apt-get install nodejs npm" >&2; exit 1; }
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
