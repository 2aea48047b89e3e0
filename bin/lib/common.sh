# shellcheck shell=bash
# Shared helpers for bin/setup and bin/test. Source, don't execute.

# CI may run with a bare environment, so don't rely on HOME being set.
: "${HOME:=$(getent passwd "$(id -u)" | cut -d: -f6)}"
DRCTL_CACHE="${DRCTL_CACHE:-$HOME/.cache/drctl}"
DRCTL_STATE="${DRCTL_STATE:-$DRCTL_CACHE/state}"
ENV_DIR="$DRCTL_STATE/env.d"
ENV_FILE="$DRCTL_STATE/env.sh"

say()  { printf '==> %s\n' "$*"; }
warn() { printf '==> WARNING: %s\n' "$*" >&2; }

# fail CHECK HOW: the check that failed and how to fix it.
fail() {
  printf '==> FAILED: %s\n' "$1" >&2
  printf '    fix: %s\n' "$2" >&2
  return 1
}

have() { command -v "$1" >/dev/null 2>&1; }

is_skipped() { [[ " ${DRCTL_SETUP_SKIP:-} " == *" $1 "* ]]; }

# Each component writes its own fragment so that `bin/setup docker` alone
# does not wipe what an earlier `bin/setup temporal` exported.
write_env() {
  local name="$1"; shift
  mkdir -p "$ENV_DIR"
  printf '%s\n' "# written by bin/setup ($name)" "$@" >"$ENV_DIR/$name.sh"
  write_env_index
}

drop_env() {
  rm -f "$ENV_DIR/$1.sh"
  write_env_index
}

write_env_index() {
  mkdir -p "$ENV_DIR"
  cat >"$ENV_FILE" <<EOS
# written by bin/setup: source this file to use what it set up
export DRCTL_CACHE='$DRCTL_CACHE'
case ":\$PATH:" in *':$DRCTL_CACHE/bin:'*) ;; *) export PATH='$DRCTL_CACHE/bin':"\$PATH" ;; esac
for f in '$ENV_DIR'/*.sh; do [ -r "\$f" ] && . "\$f"; done
unset f
EOS
}

# bin/test passes a file in DRCTL_STARTED_LOG so it can stop exactly what
# this run started, and nothing that was already running.
record_started() {
  [[ -n "${DRCTL_STARTED_LOG:-}" ]] && printf '%s\n' "$1" >>"$DRCTL_STARTED_LOG"
  return 0
}

APT_UPDATED=0

apt_install() {
  if ! have apt-get; then
    fail "apt-get not found, cannot install: $*" "install these packages with your system's package manager: $*"
    return 1
  fi
  if (( ! APT_UPDATED )); then
    say "apt-get update"
    apt-get -qq -o DPkg::Lock::Timeout=300 update >/dev/null || {
      fail "apt-get update" "check that the Debian mirror in /etc/apt/sources.list.d/ is reachable"; return 1; }
    APT_UPDATED=1
  fi
  say "apt-get install -y $*"
  local guard=/usr/sbin/policy-rc.d placed=0 rc=0
  # Debian starts services on install; a policy-rc.d that says 101 stops that.
  if [[ ! -e $guard ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$guard" && chmod +x "$guard" && placed=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o DPkg::Lock::Timeout=300 "$@" >"$DRCTL_CACHE/logs/apt.log" 2>&1 || rc=$?
  (( placed )) && rm -f "$guard"
  if (( rc != 0 )); then
    tail -n 20 "$DRCTL_CACHE/logs/apt.log" >&2
    fail "apt-get install $* (exit $rc, log: $DRCTL_CACHE/logs/apt.log)" "run 'apt-get install -y $*' as root and read its error"
    return 1
  fi
}

# A killed daemon can linger as a zombie until PID 1 reaps it; that is dead.
alive() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [[ ${stat:0:1} != Z ]]
}

# pid_is PIDFILE COMM: prints the pid if the pidfile names a live COMM process.
pid_is() {
  local pid
  [[ -r $1 ]] || return 1
  pid="$(tr -dc '0-9' <"$1")"
  [[ -n $pid && "$(cat "/proc/$pid/comm" 2>/dev/null)" == "$2" ]] && alive "$pid" || return 1
  printf '%s\n' "$pid"
}

# stop_pid PID NAME: TERM, wait up to 30 s, then KILL.
stop_pid() {
  local pid="$1" name="$2" i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 60; i++)); do
    alive "$pid" || return 0
    sleep 0.5
  done
  warn "$name (pid $pid) did not stop in 30 s, killing it"
  kill -KILL "$pid" 2>/dev/null || true
}
