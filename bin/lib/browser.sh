# shellcheck shell=bash
# Component "browser": headless Chromium from Debian and Playwright's driver
# library (npm playwright-core, which never downloads a browser of its own),
# for the end-to-end test that drives the Temporal Web UI.

PLAYWRIGHT_CORE_VERSION="${DRCTL_PLAYWRIGHT_CORE_VERSION:-1.65.1}"
NODE_PREFIX="$DRCTL_CACHE/node"
NODE_MODULES="$NODE_PREFIX/node_modules"

playwright_core_version() {
  node -p "require('$NODE_MODULES/playwright-core/package.json').version" 2>/dev/null
}

setup_browser() {
  local installed=()
  if [[ ! -x $CHROMIUM_BIN ]] || ! have chromedriver; then
    apt_install chromium chromium-driver || return 1
    installed+=(chromium)
  fi
  if ! have node || ! have npm; then
    apt_install nodejs npm || return 1
    installed+=(nodejs)
  fi
  local node_major; node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  if (( node_major < NODE_MIN_MAJOR )); then
    fail "node is $(node --version 2>/dev/null || echo missing); playwright-core $PLAYWRIGHT_CORE_VERSION needs node $NODE_MIN_MAJOR or newer" \
      "put Node.js $NODE_MIN_MAJOR+ first on PATH (Debian 12's own nodejs is 18)"
    return 1
  fi
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
