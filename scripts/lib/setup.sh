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
  DEBIAN_PACKAGES_INSTALLED+=("${missing[@]}")
}
# What ensure_debian_packages installed in this run.
DEBIAN_PACKAGES_INSTALLED=()

# stop_package_services PKG...: some packages start and enable their daemon on installation
# (prometheus on 0.0.0.0:9090, prometheus-alertmanager on :9093 and :9094) where only their
# tools are wanted. Stops and disables the services of those of PKG that ensure_debian_packages
# has just installed; a daemon that was there before is left alone.
stop_package_services() {
  local pkg unit name
  for pkg in "$@"; do
    [[ " ${DEBIAN_PACKAGES_INSTALLED[*]} " == *" $pkg "* ]] || continue
    while read -r unit; do
      [ -n "$unit" ] || continue
      name=$(basename "$unit" .service)
      echo "Stopping and disabling the $name service that $pkg started" >&2
      if [ -d /run/systemd/system ]; then
        systemctl disable --now "$name.service" >/dev/null 2>&1 || true
      fi
      if [ -x "/etc/init.d/$name" ]; then
        "/etc/init.d/$name" stop >/dev/null 2>&1 || true
        update-rc.d "$name" disable >/dev/null 2>&1 || true
      fi
    done < <(dpkg-query -L "$pkg" 2>/dev/null |
      grep -E '^(/usr)?/lib/systemd/system/[^/@]+\.service$|^/etc/init\.d/[^/]+$' |
      sed -E 's#^.*/##; s#\.service$##' | sort -u)
  done
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
