# Shared set-up steps for scripts/run.sh and scripts/test.sh (sourced, not executed).

# ensure_debian_packages PKG...: installs the missing ones with apt-get when root; otherwise
# prints the exact command and stops, so nothing half-installs silently.
ensure_debian_packages() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing system packages: ${missing[*]}" >&2
    echo "Install them with:  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing system packages: ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ensure_node_modules: `npm ci` unless node_modules already matches package-lock.json.
ensure_node_modules() {
  local stamp=node_modules/.vertex-ar-lock.sha256
  local want
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  echo "Installing npm packages (npm ci)..." >&2
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
}

# require_node: Node.js 20.19+ is what the project is built and tested on.
require_node() {
  if ! command -v node >/dev/null 2>&1; then
    echo "Node.js 20.19+ is required (https://nodejs.org or your distribution's nodejs package)" >&2
    exit 1
  fi
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' || {
    echo "Node.js 20.19+ is required, found $(node --version)" >&2
    exit 1
  }
}
