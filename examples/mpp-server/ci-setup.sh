#!/usr/bin/env bash
# Installs the local real-peer stack (mppx reference server + anvil) for tests and CI.
# Idempotent: skips `npm ci` when node_modules already matches package-lock.json.
# No install scripts run: anvil's binary ships inside @foundry-rs/anvil-<os>-<arch>, an optional
# dependency npm picks for this platform, so the package's download-fallback postinstall is not needed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

if ! command -v node >/dev/null 2>&1; then
  echo "ci-setup: node is not on PATH (Node.js >= 20 is required)" >&2
  exit 1
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if (( node_major < 20 )); then
  echo "ci-setup: Node.js >= 20 is required, found $(node --version)" >&2
  exit 1
fi

stamp=node_modules/.mpp-lock-sha256
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]] && node stack-check.mjs >/dev/null 2>&1; then
  echo "ci-setup: node_modules up to date"
else
  npm ci --ignore-scripts --no-audit --no-fund
  echo "$want" > "$stamp"
fi

# Fails loudly if the platform binary or a pinned package is missing or has the wrong version.
node stack-check.mjs
