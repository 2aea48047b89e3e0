# shellcheck shell=bash
# Component "docker": a Docker engine for the failover tests. Uses one that
# already answers; otherwise starts Debian's dockerd on its own socket, with
# no bridge and no iptables (containers run with --network host only).

DOCKER_DIR="$DRCTL_STATE/docker"
DOCKER_SOCK="$DOCKER_DIR/docker.sock"
DOCKER_PIDFILE="$DOCKER_DIR/dockerd.pid"
DOCKER_LOG="$DRCTL_CACHE/logs/dockerd.log"
DOCKER_START_TIMEOUT="${DRCTL_DOCKER_TIMEOUT:-60}"

docker_answers() { timeout 15 docker ${1:+--host "$1"} info >/dev/null 2>&1; }

docker_use_own() {
  write_env docker \
    "export DOCKER_HOST='unix://$DOCKER_SOCK'" \
    "export DRCTL_DOCKER=started-by-setup"
}

docker_server_line() {
  docker ${1:+--host "$1"} info --format 'engine {{.ServerVersion}}, storage {{.Driver}}' 2>/dev/null
}

# dockerd leaves mounts behind: the host netns bind mount always, and the
# data-root self-bind when it dies during start. Only call once it is gone.
unmount_leftovers() {
  local m
  findmnt -rn -o TARGET | awk -v p="$DOCKER_DIR/" 'index($0, p) == 1' | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" || true
  done
}

# A dockerd that was killed (not stopped) leaves its containerd's pidfile;
# the next dockerd then waits on that dead (or orphaned) containerd and fails.
clear_stale_containerd() {
  local pidfile="$DOCKER_DIR/exec/containerd/containerd.pid" pid
  if pid="$(pid_is "$pidfile" containerd)"; then
    say "docker: stopping containerd orphaned by an earlier dockerd (pid $pid)"
    stop_pid "$pid" containerd
  fi
  rm -f "$pidfile"
}

# start_dockerd DRIVER: returns 0 once `docker info` answers; 1 if dockerd
# died because of the storage driver; 2 if it died otherwise or timed out.
start_dockerd() {
  local driver="$1" pid i logstart
  rm -f "$DOCKER_PIDFILE" "$DOCKER_SOCK"
  mkdir -p "$DOCKER_DIR/data" "$DOCKER_DIR/exec" "$(dirname "$DOCKER_LOG")"
  clear_stale_containerd
  logstart=$(( $(stat -c %s "$DOCKER_LOG" 2>/dev/null || echo 0) + 1 ))
  say "docker: starting dockerd (storage driver $driver, socket $DOCKER_SOCK, log $DOCKER_LOG)"
  # setsid + closed fds: the daemon must not hold bin/test's output pipe open.
  setsid dockerd \
    --host "unix://$DOCKER_SOCK" \
    --data-root "$DOCKER_DIR/data" \
    --exec-root "$DOCKER_DIR/exec" \
    --pidfile "$DOCKER_PIDFILE" \
    --iptables=false --bridge=none \
    --storage-driver="$driver" \
    </dev/null >>"$DOCKER_LOG" 2>&1 &
  pid=$!
  for ((i = 0; i < DOCKER_START_TIMEOUT * 2; i++)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      warn "dockerd exited while starting with storage driver $driver:"
      tail -c "+$logstart" "$DOCKER_LOG" | grep -E '^failed|level=(error|fatal)' | tail -n 3 >&2 || true
      unmount_leftovers
      tail -c "+$logstart" "$DOCKER_LOG" | grep -q 'error initializing graphdriver' && return 1
      return 2
    fi
    if docker_answers "unix://$DOCKER_SOCK"; then
      record_started docker
      say "docker: dockerd ready in $((i / 2)).$((i % 2 * 5))s (pid $pid, $(docker_server_line "unix://$DOCKER_SOCK"))"
      return 0
    fi
    sleep 0.5
  done
  warn "dockerd did not answer within ${DOCKER_START_TIMEOUT}s; stopping it"
  stop_pid "$pid" dockerd
  unmount_leftovers
  return 2
}

setup_docker() {
  if pid_is "$DOCKER_PIDFILE" dockerd >/dev/null && docker_answers "unix://$DOCKER_SOCK"; then
    docker_use_own
    say "docker: ok (dockerd started earlier by bin/setup, pid $(cat "$DOCKER_PIDFILE"), $(docker_server_line "unix://$DOCKER_SOCK"))"
    return 0
  fi
  # Honour an engine the caller points at, or the default socket; but a
  # DOCKER_HOST that names our own (now dead) socket is just stale.
  if [[ ${DOCKER_HOST:-} == "unix://$DOCKER_SOCK" ]]; then unset DOCKER_HOST; fi
  if docker_answers; then
    write_env docker "export DRCTL_DOCKER=existing" ${DOCKER_HOST:+"export DOCKER_HOST='$DOCKER_HOST'"}
    say "docker: ok (existing engine at ${DOCKER_HOST:-the default socket}, $(docker_server_line))"
    return 0
  fi
  if [[ -n ${DOCKER_HOST:-} ]]; then
    fail "DOCKER_HOST=$DOCKER_HOST does not answer 'docker info'" \
      "start that engine, or unset DOCKER_HOST to let bin/setup start its own dockerd"
    return 1
  fi
  have docker || apt_install docker.io || return 1
  have dockerd || apt_install docker.io || return 1

  # overlay2 is ~6x faster to start containers; vfs works on any filesystem.
  local drivers=("${DRCTL_DOCKER_STORAGE_DRIVER:-overlay2}") rc
  [[ ${drivers[0]} == vfs ]] || drivers+=(vfs)
  for driver in "${drivers[@]}"; do
    rc=0; start_dockerd "$driver" || rc=$?
    if (( rc == 0 )); then docker_use_own; return 0; fi
    (( rc == 2 )) && break
  done
  fail "could not start dockerd (log: $DOCKER_LOG)" \
    "read the log; or point DOCKER_HOST at a running engine; or skip with DRCTL_SETUP_SKIP=docker"
}

stop_docker() {
  local pid
  if pid="$(pid_is "$DOCKER_PIDFILE" dockerd)"; then
    say "docker: stopping dockerd started by bin/setup (pid $pid)"
    stop_pid "$pid" dockerd
    rm -f "$DOCKER_PIDFILE" "$DOCKER_SOCK"
    unmount_leftovers
  else
    say "docker: no dockerd started by bin/setup is running"
    pgrep -f -- "--host unix://$DOCKER_SOCK" >/dev/null || unmount_leftovers
  fi
  if [[ -r $ENV_DIR/docker.sh ]] && grep -q started-by-setup "$ENV_DIR/docker.sh"; then
    drop_env docker
  fi
}
