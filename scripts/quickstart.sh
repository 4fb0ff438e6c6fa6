#!/usr/bin/env bash
# Quick start: install, build, then migrate the sample legacy sessions shipped in examples/ into this
# checkout's own .victor/project.db and list them. No network beyond the npm registry, no LLM.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
command -v pnpm >/dev/null 2>&1 || npm i -g pnpm@10.34.9 --loglevel=error
# better-sqlite3 compiles from source when no prebuilt binary can be fetched: its build log (node-gyp
# info lines, compiler warnings) is noise a user could take for an error. Errors are still shown.
echo "Installing dependencies (compiling better-sqlite3 can take a minute or two)…"
npm_config_loglevel=error pnpm install --frozen-lockfile
echo "Building…"
# turbo's per-task log only matters when the build fails.
if ! build_log=$(pnpm --silent build 2>&1); then printf '%s\n' "$build_log"; exit 1; fi

samples=examples/legacy-sessions
echo
echo "== victor-migrate: the sample legacy sessions (two of them are deliberately broken) =="
status=0
node packages/migrate/bin/victor-migrate.js --source "$samples/home/.victor/sessions" --source "$samples/project/.victor/sessions" || status=$?
# 3 = some files failed: expected here, the samples include an empty file and a non-session.
if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then exit "$status"; fi

echo
echo "== victor sessions list =="
node apps/cli/bin/victor.js sessions list
echo
echo "Next: pnpm victor sessions search authentication · pnpm victor sessions show 20251215 · pnpm victor chat"
