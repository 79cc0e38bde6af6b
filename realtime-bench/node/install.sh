#!/usr/bin/env bash
# Installs the pinned dependencies of the comparison servers into ./node_modules (not in git).
# Uses the lock file when present (npm ci), else resolves package.json and writes the lock.
set -euo pipefail
cd "$(dirname "$0")"
if [[ -f package-lock.json ]]; then
  npm ci --no-audit --no-fund
else
  npm install --no-audit --no-fund
fi
node -e 'console.log("ws", require("ws/package.json").version, "socket.io", require("socket.io/package.json").version)'
