# shellcheck shell=bash
# Component "postgres": PostgreSQL 15 binaries and pgBackRest. Tests run
# their own throwaway clusters (as user postgres), so Debian's default
# cluster must not be left running.

# PG_BINDIR and the programs needed are in bin/lib/prereqs.sh.

online_clusters() {
  have pg_lsclusters || return 0
  pg_lsclusters -h 2>/dev/null | awk '$4 ~ /^online/ {print $1 "/" $2}'
}

# Stops clusters that are online now but were not before the install.
stop_new_clusters() {
  local before="$1" c
  for c in $(online_clusters); do
    [[ " $before " == *" $c "* ]] && continue
    say "postgres: the install started cluster $c, stopping it"
    pg_ctlcluster "${c%/*}" "${c#*/}" stop || service postgresql stop || true
  done
}

setup_postgres() {
  local before installed
  before="$(online_clusters | tr '\n' ' ')"
  installed="$(prereq_install postgres)" || return 1
  [[ -n $installed ]] && stop_new_clusters "$before"
  if ! id postgres >/dev/null 2>&1; then
    fail "no 'postgres' user (the server refuses to run as root)" "apt-get install --reinstall postgresql-common"
    return 1
  fi
  write_env postgres \
    "export DRCTL_PG_BINDIR='$PG_BINDIR'" \
    "export DRCTL_PGBACKREST='$(command -v pgbackrest)'"
  local state="ok"; [[ -n $installed ]] && state="installed $(tr '\n' ' ' <<<"$installed")"
  say "postgres: ${state% } ($("$PG_BINDIR/postgres" --version), $(pgbackrest version))"
}

stop_postgres() { :; }
