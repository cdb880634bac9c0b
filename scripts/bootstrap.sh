#!/usr/bin/env bash
# scripts/bootstrap.sh — makes this checkout runnable; `npm start`, `npm test` and
# `npm run bench` call it first. Idempotent and quick when nothing changed:
#   1. Debian packages the daemon and the tests need (installed when root, else the exact
#      command is printed and we stop),
#   2. `npm ci` when package-lock.json changed since the last run,
#   3. the native addon (node-gyp) when its sources changed,
#   4. `tsc` (incremental) to dist/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
log() { printf '[bootstrap] %s\n' "$*" >&2; }

# 1. Debian packages -------------------------------------------------------------------
# libfuse2+fuse: FUSE mounts (fuse-native); tmux: TUI tests; curl: API tests;
# build tools: node-gyp and zstd-napi; restic: benchmark and comparison tests;
# util-linux: setpriv (tests run a daemon as nobody); xz-utils, dpkg: bench corpora.
PKGS=(libfuse2 fuse tmux curl build-essential python3 restic util-linux xz-utils attr)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "cairn needs these Debian packages; run as root:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

# node-gyp builds against the headers of the running node (works offline).
export npm_config_nodedir="${npm_config_nodedir:-$(node -p "require('path').resolve(process.execPath,'../..')")}"
stamp_dir="$ROOT/node_modules/.cairn"

# 2. npm ci when the lockfile changed -----------------------------------------------------
lock_sum=$(sha256sum package-lock.json package.json | sha256sum | cut -c1-64)
if [ ! -f "$stamp_dir/lock" ] || [ "$(cat "$stamp_dir/lock")" != "$lock_sum" ]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error >&2
  mkdir -p "$stamp_dir"
  echo "$lock_sum" > "$stamp_dir/lock"
fi

# 3. the native addon ---------------------------------------------------------------------
NODE_GYP=$(node -p "require.resolve('node-gyp/bin/node-gyp.js',{paths:[require('path').resolve(process.execPath,'../../lib/node_modules/npm')]})" 2>/dev/null || true)
[ -n "$NODE_GYP" ] || NODE_GYP=$(command -v node-gyp)
native_sum=$( (cat native/binding.gyp native/src/*.c native/src/*.h 2>/dev/null; node -v) | sha256sum | cut -c1-64)
if [ ! -f native/build/Release/cairn_native.node ] || [ ! -f "$stamp_dir/native" ] \
   || [ "$(cat "$stamp_dir/native")" != "$native_sum" ]; then
  log "building native/"
  (cd native && node "$NODE_GYP" rebuild --loglevel=error >&2)
  mkdir -p "$stamp_dir"
  echo "$native_sum" > "$stamp_dir/native"
fi

# 4. TypeScript ---------------------------------------------------------------------------
node node_modules/typescript/bin/tsc -p tsconfig.json --incremental --tsBuildInfoFile dist/.tsbuildinfo
