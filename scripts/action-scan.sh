#!/usr/bin/env bash
# The scan step of action.yml: builds the CLI from the action's own checkout when needed, runs
# it with the action's inputs, prints the text report, writes the SARIF file and records the exit
# code as a step output (the upload runs before the step that fails on it).
set -uo pipefail
action="${GITHUB_ACTION_PATH:?}"
output="${GITHUB_OUTPUT:?}"
cli="$action/bin/pinning-audit.js"

if [ ! -f "$action/dist/cli.js" ]; then
  (cd "$action" && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent) || { echo "exit-code=2" >> "$output"; exit 0; }
fi

args=(scan "${INPUT_PATH:-.}" --fail-on "${INPUT_FAIL_ON:-error}")
[ -n "${INPUT_BASELINE:-}" ] && args+=(--baseline "$INPUT_BASELINE")
[ -n "${INPUT_DIFF_BASE:-}" ] && args+=(--diff-base "$INPUT_DIFF_BASE")
sarif="${INPUT_SARIF_FILE:-pinning-audit.sarif}"

# The SARIF for code scanning, then the text report with the same findings for the log. They
# share a scan cache (restored by action.yml when the cache input is on): the second scan parses
# nothing, and with a restored cache the first parses only the files changed since.
args+=(--cache --cache-location "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/pinning-audit-cache/")
node "$cli" "${args[@]}" --format sarif --output "$sarif" --fail-on none && [ -s "$sarif" ] && echo "sarif-written=true" >> "$output"
node "$cli" "${args[@]}" --no-color
echo "exit-code=$?" >> "$output"
