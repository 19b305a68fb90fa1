#!/usr/bin/env bash
# The pre-commit hook (.pre-commit-hooks.yaml): pre-commit runs it from its checkout of this
# repository, in the user's repository, with the staged files as arguments. The CLI is built in
# the checkout the first time (pre-commit keeps the checkout between runs).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ ! -f "$here/dist/cli.js" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >&2 && npm run build --silent >&2)
fi
exec node "$here/bin/pinning-audit.js" scan --fail-on error --quiet "$@"
