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

# The text report for the log; the SARIF, with the same findings, for code scanning.
node "$cli" "${args[@]}" --no-color
code=$?
node "$cli" "${args[@]}" --format sarif --output "$sarif" --fail-on none && [ -s "$sarif" ] && echo "sarif-written=true" >> "$output"
echo "exit-code=$code" >> "$output"
