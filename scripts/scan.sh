#!/usr/bin/env bash
# Security scanners against a real local instance: wapiti (xss, sql, blindsql, exec, file, crlf,
# redirect, permanentxss) with a logged-in session, and sqlmap against the search/filter parameters.
# Starts the built server on loopback (SQLite, a temp DATA_DIR, an admin from the environment),
# creates a few clients/orders through the API so the filters have data, then scans.
# Exits non-zero when either tool reports a finding or the server answers 5xx. Reports (and the
# server log) go to test-results/scans/ (CI artefacts).
#
# Needs: dist/ (built here when missing), ffmpeg, curl, wapiti, sqlmap (Debian packages).
# Time: SCAN_MAX_SECONDS (default 240) bounds wapiti; sqlmap takes about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."

out=test-results/scans
rm -rf "$out"
mkdir -p "$out"
for tool in wapiti sqlmap ffmpeg curl; do
  command -v "$tool" >/dev/null || { echo "scan: $tool is not installed" >&2; exit 1; }
done
[ -f dist/main.js ] || npm run --silent build

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
base="http://127.0.0.1:$port"
admin_user="${SCAN_ADMIN_USERNAME:-scan-admin}"
admin_password="${SCAN_ADMIN_PASSWORD:-$(node -e 'console.log(require("crypto").randomBytes(24).toString("hex"))')}"

# Rate limits off: the scanners send thousands of requests from one address, and a 429 to every
# payload would hide what the payload does. Jobs off: no marker builds competing for the CPU.
env -i PATH="$PATH" HOME="$work" NODE_ENV=production HOST=127.0.0.1 PORT="$port" \
  PUBLIC_BASE_URL="$base" DATA_DIR="$work/data" LOG_LEVEL=info \
  ADMIN_USERNAME="$admin_user" ADMIN_PASSWORD="$admin_password" \
  RATE_LIMIT_ENABLED=false JOBS_IN_PROCESS=false BCRYPT_COST=8 \
  node dist/main.js serve >"$out/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -fsS "$base/health" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { echo "scan: the server did not start" >&2; tail -20 "$out/server.log" >&2; exit 1; }
  sleep 0.2
done

# ---- a session and some data ------------------------------------------------------------
login=$(curl -fsS -H 'content-type: application/json' \
  -d "{\"username\":\"$admin_user\",\"password\":\"$admin_password\"}" "$base/api/auth/login")
json_field() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=process.argv[1].split(".").reduce((o,k)=>o?.[k],JSON.parse(s));console.log(v??"")})' "$1"; }
token=$(printf '%s' "$login" | json_field accessToken)
csrf=$(printf '%s' "$login" | json_field csrfToken)
[ -n "$token" ] || { echo "scan: login failed: $login" >&2; exit 1; }
auth="Authorization: Bearer $token"

ffmpeg -nostdin -hide_banner -loglevel error -f lavfi -i "testsrc2=size=800x600" -frames:v 1 "$work/portrait.jpg"
ffmpeg -nostdin -hide_banner -loglevel error -f lavfi -i "testsrc2=size=320x240:rate=25:duration=1" \
  -c:v libx264 -preset ultrafast -pix_fmt yuv420p -movflags +faststart "$work/clip.mp4"
slug=""
for i in 1 2 3; do
  order=$(curl -fsS -H "$auth" -F "clientName=Scan Client $i" -F "clientPhone=+7999000000$i" \
    -F "portrait=@$work/portrait.jpg;type=image/jpeg" -F "video=@$work/clip.mp4;type=video/mp4" \
    "$base/api/orders")
  slug=$(printf '%s' "$order" | json_field portrait.slug)
  client_id=$(printf '%s' "$order" | json_field client.id)
done

# wapiti's cookie file: the session cookie (with the bearer header as well, so unsafe requests
# are not all refused for want of the CSRF header: what is scanned is the handlers).
cat >"$work/cookies.json" <<EOF
{"127.0.0.1": {"/": {"vertex_session": {"version": 0, "name": "vertex_session", "value": "$token", "port": null, "port_specified": false, "domain": "127.0.0.1", "domain_specified": false, "domain_initial_dot": false, "path": "/", "path_specified": true, "secure": false, "expires": null, "discard": true, "comment": null, "comment_url": null, "rfc2109": false, "rest": {"HttpOnly": null}}}}}
EOF

requests_before() { grep -c '"incoming request"\|incoming request' "$out/server.log" || true; }

# ---- wapiti -------------------------------------------------------------------------------
# No `-x` exclusions: Debian's wapiti 3.0.4 crashes on them under Python 3.11 (its wildcard
# regex puts `(?ms)` last). Nothing to exclude is reachable anyway: the crawler follows HTML
# links and forms, and the admin app builds its logout and password calls in JavaScript.
targets=(
  "$base/api/clients?q=Scan&limit=20&offset=0"
  "$base/api/clients/$client_id"
  "$base/api/orders?status=processing&from=2020-01-01&to=2999-01-01"
  "$base/api/portraits?status=processing&clientId=$client_id"
  "$base/api/dashboard"
  "$base/api/audit?actor=$admin_user&entityType=client&entityId=$client_id&limit=20"
  "$base/p/$slug?lang=en"
  "$base/admin/"
)
start_args=()
for target in "${targets[@]}"; do start_args+=(-s "$target"); done
wapiti_started=$(date +%s)
count0=$(requests_before)
wapiti -u "$base/" --scope folder "${start_args[@]}" \
  -m "xss,sql,blindsql,exec,file,crlf,redirect,permanentxss" \
  -c "$work/cookies.json" -H "$auth" -H "x-csrf-token: $csrf" \
  -d 3 --max-links-per-page 40 --max-files-per-dir 20 \
  --max-scan-time "${SCAN_MAX_SECONDS:-240}" --max-attack-time 60 -t 10 \
  --flush-session --store-session "$work/wapiti-session" --store-config "$work/wapiti-config" \
  --no-bugreport -v 1 -f json -o "$out/wapiti.json" >"$out/wapiti.log" 2>&1 || {
  echo "scan: wapiti failed (see $out/wapiti.log)" >&2; tail -20 "$out/wapiti.log" >&2; exit 1; }
wapiti_requests=$(( $(requests_before) - count0 ))
wapiti_seconds=$(( $(date +%s) - wapiti_started ))

# ---- sqlmap -------------------------------------------------------------------------------
sqlmap_started=$(date +%s)
count1=$(requests_before)
sqlmap_findings=0
sql_targets=(
  "q|$base/api/clients?q=Scan"
  "status,from|$base/api/orders?status=processing&from=2020-01-01"
  "status|$base/api/portraits?status=processing"
  "actor,entityId|$base/api/audit?actor=$admin_user&entityId=$client_id"
)
for entry in "${sql_targets[@]}"; do
  params=${entry%%|*}
  url=${entry#*|}
  name=$(printf '%s' "$url" | sed -E 's#^https?://[^/]+/##; s#[^A-Za-z0-9]+#_#g')
  sqlmap -u "$url" -p "$params" --headers="$auth" --batch --level 2 --risk 1 \
    --technique BEUT --time-sec 2 --threads 4 --flush-session --disable-coloring \
    --output-dir "$work/sqlmap" >"$out/sqlmap-$name.log" 2>&1 || true
  if grep -qE "is vulnerable|sqlmap identified the following injection point|appears to be .* injectable" "$out/sqlmap-$name.log"; then
    echo "scan: sqlmap reports an injection in $url" >&2
    sqlmap_findings=$((sqlmap_findings + 1))
  fi
  grep -qE "all tested parameters do not appear to be injectable|is not injectable|does not seem to be injectable" "$out/sqlmap-$name.log" ||
    { echo "scan: sqlmap did not finish testing $url (see $out/sqlmap-$name.log)" >&2; sqlmap_findings=$((sqlmap_findings + 1)); }
done
cp -r "$work/sqlmap" "$out/sqlmap-output" 2>/dev/null || true
sqlmap_requests=$(( $(requests_before) - count1 ))
sqlmap_seconds=$(( $(date +%s) - sqlmap_started ))

# ---- verdict --------------------------------------------------------------------------------
summary=$(node -e '
const fs = require("fs");
const report = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
const count = (group) => Object.entries(group ?? {}).filter(([, list]) => list.length > 0)
  .map(([name, list]) => `${name}: ${list.length}`);
const vulns = count(report.vulnerabilities);
const anomalies = count(report.anomalies);
console.log(JSON.stringify({ vulnerabilities: vulns, anomalies }));
' "$out/wapiti.json")
server_errors=$(grep -cE '"statusCode":5[0-9][0-9]' "$out/server.log" || true)
cat >"$out/summary.txt" <<EOF
wapiti: ${wapiti_requests} requests in ${wapiti_seconds} s; findings: $summary
sqlmap: ${sqlmap_requests} requests in ${sqlmap_seconds} s; injectable or unfinished targets: $sqlmap_findings
server 5xx answers: $server_errors
EOF
cat "$out/summary.txt" >&2
failed=0
[ "$summary" = '{"vulnerabilities":[],"anomalies":[]}' ] || { echo "scan: wapiti reports findings (see $out/wapiti.json)" >&2; failed=1; }
[ "$sqlmap_findings" = 0 ] || failed=1
[ "$server_errors" = 0 ] || { echo "scan: the server answered 5xx (see $out/server.log)" >&2; failed=1; }
exit "$failed"
