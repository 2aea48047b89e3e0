# shellcheck shell=bash
# Component "redis": redis-server and redis-sentinel binaries. Tests start
# their own instances on their own ports, so no packaged service may run.

redis_pids() { pgrep -x redis-server 2>/dev/null | tr '\n' ' '; pgrep -x redis-sentinel 2>/dev/null | tr '\n' ' '; }

# Stops redis processes that appeared during the install.
stop_new_redis() {
  local before="$1" pid
  for pid in $(redis_pids); do
    [[ " $before " == *" $pid "* ]] && continue
    say "redis: the install started $(cat "/proc/$pid/comm" 2>/dev/null) (pid $pid), stopping it"
    service redis-server stop >/dev/null 2>&1 || true
    service redis-sentinel stop >/dev/null 2>&1 || true
    alive "$pid" && stop_pid "$pid" redis
  done
}

setup_redis() {
  local before installed
  before="$(redis_pids)"
  installed="$(prereq_install redis)" || return 1
  [[ -n $installed ]] && stop_new_redis "$before"
  write_env redis \
    "export DRCTL_REDIS_SERVER='$(command -v redis-server)'" \
    "export DRCTL_REDIS_SENTINEL='$(command -v redis-sentinel)'"
  local state="ok"; [[ -n $installed ]] && state="installed $(tr '\n' ' ' <<<"$installed")"
  say "redis: ${state% } ($(redis-server --version | grep -oE 'v=[0-9.]+'))"
}

stop_redis() { :; }
