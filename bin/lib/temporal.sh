# shellcheck shell=bash
# Component "temporal": the Temporal CLI, whose `temporal server start-dev`
# is the real server. Built from source through the Go module proxy, since no
# prebuilt binary can be downloaded here. Without it the suite falls back to
# the Java test server (io.temporal:temporal-test-server).

TEMPORAL_VERSION="${DRCTL_TEMPORAL_VERSION:-v1.5.1}"
TEMPORAL_BIN="$DRCTL_CACHE/bin/temporal"
TEMPORAL_STATUS="$DRCTL_CACHE/temporal.status"
TEMPORAL_PKG="github.com/temporalio/cli/cmd/temporal"

# A `go install` build says "temporal version 0.0.0-DEV" (releases set the
# version by linker flag), so the pin is checked in the embedded module info.
temporal_built_version() {
  if have go; then
    go version -m "$TEMPORAL_BIN" 2>/dev/null | awk '$1 == "mod" && $2 == "github.com/temporalio/cli" {print $3}'
  else
    "$TEMPORAL_BIN" --version 2>/dev/null | sed -nE 's/^temporal version ([0-9][^ ]*).*/v\1/p'
  fi
}

temporal_ok() {
  [[ -x $TEMPORAL_BIN ]] && "$TEMPORAL_BIN" --version >/dev/null 2>&1 &&
    [[ "$(temporal_built_version)" == "$TEMPORAL_VERSION" ]]
}

temporal_describe() {
  printf '%s, module %s' "$("$TEMPORAL_BIN" --version | head -n1)" "$(temporal_built_version)"
}

temporal_use_cli() {
  printf 'cli %s %s\n' "$TEMPORAL_VERSION" "$TEMPORAL_BIN" >"$TEMPORAL_STATUS"
  write_env temporal \
    "export DRCTL_TEMPORAL=cli" \
    "export DRCTL_TEMPORAL_CLI='$TEMPORAL_BIN'"
}

# Always exits 0: the Java test server is an accepted fallback.
temporal_fallback() {
  say "temporal: $1"
  say "temporal: the Java test server will be used instead (recorded in $TEMPORAL_STATUS)"
  printf 'test-server %s\n' "$1" >"$TEMPORAL_STATUS"
  write_env temporal "export DRCTL_TEMPORAL=test-server" "unset DRCTL_TEMPORAL_CLI"
}

# Two concurrent `go install`s of the same module fight over the build
# cache and double the time, so wait for one already running.
wait_for_other_go_install() {
  local waited=0 limit="${DRCTL_TEMPORAL_WAIT:-3600}"
  pgrep -f "go install $TEMPORAL_PKG" >/dev/null || return 0
  say "temporal: another 'go install $TEMPORAL_PKG' is running, waiting for it (up to ${limit}s)"
  while pgrep -f "go install $TEMPORAL_PKG" >/dev/null; do
    (( waited >= limit )) && { warn "still running after ${limit}s, not waiting longer"; return 1; }
    sleep 10; waited=$((waited + 10))
    (( waited % 120 == 0 )) && say "temporal: still waiting (${waited}s)"
  done
  return 0
}

setup_temporal() {
  if [[ ${DRCTL_TEMPORAL:-} == test-server ]]; then
    temporal_fallback "DRCTL_TEMPORAL=test-server is set, not installing the CLI"; return 0
  fi
  if temporal_ok; then
    temporal_use_cli
    say "temporal: ok ($(temporal_describe))"
    return 0
  fi
  wait_for_other_go_install || true
  if temporal_ok; then
    temporal_use_cli
    say "temporal: ok, installed by the other go install ($(temporal_describe))"
    return 0
  fi
  if ! have go; then
    temporal_fallback "go not found, cannot build the Temporal CLI"; return 0
  fi
  local log="$DRCTL_CACHE/logs/temporal-go-install.log" t0=$SECONDS
  say "temporal: go install $TEMPORAL_PKG@$TEMPORAL_VERSION into $DRCTL_CACHE/bin (10-20 min on a cold Go cache; log: $log)"
  if ! GOBIN="$DRCTL_CACHE/bin" go install "$TEMPORAL_PKG@$TEMPORAL_VERSION" >"$log" 2>&1; then
    tail -n 5 "$log" >&2
    temporal_fallback "go install failed after $((SECONDS - t0))s (log: $log)"; return 0
  fi
  if ! temporal_ok; then
    temporal_fallback "the built binary fails 'temporal --version' or is not $TEMPORAL_VERSION"; return 0
  fi
  temporal_use_cli
  say "temporal: installed in $((SECONDS - t0))s ($(temporal_describe))"
}

stop_temporal() { :; }
