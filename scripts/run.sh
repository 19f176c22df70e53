#!/usr/bin/env bash
# One command from a fresh checkout to a running Vertex AR on its embedded defaults
# (SQLite + local disk under ./data, port 8080). Configure with environment variables (README).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/setup.sh
. scripts/lib/setup.sh

require_node
ensure_debian_packages ffmpeg
ensure_node_modules
npm run --silent build
exec node scripts/start.mjs
