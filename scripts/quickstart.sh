#!/usr/bin/env bash
# Quick start: install, build, then import the sample legacy sessions shipped in examples/ into
# this checkout's own .victor/project.db and list them. No network beyond the npm registry, no LLM.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
command -v pnpm >/dev/null 2>&1 || npm i -g pnpm@10.34.9
pnpm install --frozen-lockfile
pnpm build
node scripts/demo.mjs
