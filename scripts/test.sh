#!/usr/bin/env bash
# One command for the whole test suite on a fresh machine: installs what the tests need (npm
# packages, Debian packages), starts the S3-compatible server, checks types/lint/format, then
# runs every test on both backends (SQLite + local disk, PostgreSQL + S3) with coverage, and
# stops what it started. Exits non-zero on any failure.
#
# PostgreSQL is expected at TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
# When it is unreachable the PostgreSQL + S3 run is skipped with a loud warning, except in CI
# (CI=true), where a missing service is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/setup.sh
. scripts/lib/setup.sh

export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
mkdir -p .tmp

step() { printf '\n== %s\n' "$*" >&2; }

step "system packages"
require_node
ensure_debian_packages ffmpeg chromium postgresql-client webkit2gtk-driver xvfb wapiti sqlmap age jq sqlite3 \
  prometheus prometheus-alertmanager poppler-utils
# Only promtool and amtool are needed: no Prometheus/Alertmanager daemon on 0.0.0.0.
stop_package_services prometheus prometheus-alertmanager
step "npm packages"
ensure_node_modules

step "typecheck, lint, format"
npm run --silent typecheck
npm run --silent lint
npm run --silent format:check
step "build"
npm run --silent build

# The alert rules and their unit tests (test/deploy/monitoring-config.test.ts runs them too).
step "alert rules: promtool"
promtool check rules deploy/prometheus/alerts.yml
promtool test rules deploy/prometheus/alerts.test.yml

projects=(--project unit --project browser --project phone --project sqlite-local)
s3_started_here=0
cleanup() {
  if [ "$s3_started_here" = 1 ]; then bash scripts/s3-server.sh stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

step "services"
if pg_isready -q -d "$TEST_DATABASE_URL" -t 5; then
  echo "PostgreSQL reachable at ${TEST_DATABASE_URL%%\?*}" >&2
  if ! bash scripts/s3-server.sh status >/dev/null 2>&1; then
    bash scripts/s3-server.sh start >&2
    s3_started_here=1
  fi
  set -a
  # shellcheck disable=SC1091
  . "${S3_STATE_DIR:-$PWD/.tmp/s3}/s3.env"
  set +a
  projects+=(--project postgres-s3)
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL is not reachable at $TEST_DATABASE_URL: in CI that is a failure" >&2
  exit 1
else
  echo "WARNING: PostgreSQL is not reachable at $TEST_DATABASE_URL." >&2
  echo "WARNING: running unit + SQLite/local tests only; the PostgreSQL + S3 suite did NOT run." >&2
fi

step "tests: ${projects[*]}"
npx vitest run "${projects[@]}" --coverage \
  --reporter=default --reporter=./test/support/summary-reporter.ts "$@"

# wapiti + sqlmap against a running instance (reports in test-results/scans/); about a minute.
step "security scanners"
if command -v wapiti >/dev/null && command -v sqlmap >/dev/null; then
  bash scripts/scan.sh
elif [ "${CI:-}" = "true" ]; then
  echo "wapiti/sqlmap are not installed: in CI that is a failure" >&2
  exit 1
else
  echo "WARNING: wapiti/sqlmap are not installed: the security scan did NOT run." >&2
fi
