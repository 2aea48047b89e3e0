# shellcheck shell=bash
# Component "postgres": PostgreSQL 15 binaries and pgBackRest. Tests run
# their own throwaway clusters (as user postgres), so Debian's default
# cluster must not be left running.

PG_BINDIR="/usr/lib/postgresql/15/bin"

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
  local missing=()
  [[ -x $PG_BINDIR/initdb && -x $PG_BINDIR/pg_ctl ]] || missing+=(postgresql-15)
  have pgbackrest || missing+=(pgbackrest)
  if (( ${#missing[@]} )); then
    local before; before="$(online_clusters | tr '\n' ' ')"
    apt_install "${missing[@]}" || return 1
    stop_new_clusters "$before"
  fi
  if [[ ! -x $PG_BINDIR/initdb ]] || ! have pgbackrest; then
    fail "postgresql-15 or pgbackrest still missing after install" "apt-get install -y postgresql-15 pgbackrest"
    return 1
  fi
  if ! id postgres >/dev/null 2>&1; then
    fail "no 'postgres' user (the server refuses to run as root)" "apt-get install --reinstall postgresql-common"
    return 1
  fi
  write_env postgres \
    "export DRCTL_PG_BINDIR='$PG_BINDIR'" \
    "export DRCTL_PGBACKREST='$(command -v pgbackrest)'"
  local state="ok"; (( ${#missing[@]} )) && state="installed"
  say "postgres: $state ($("$PG_BINDIR/postgres" --version), $(pgbackrest version))"
}

stop_postgres() { :; }
