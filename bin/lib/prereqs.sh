# shellcheck shell=bash
# Every program that drctl's build, tests, benchmarks or the product itself runs: where it is
# looked for, the Debian package that brings it, and which bin/setup component installs it.
# `bin/setup doctor` reports on this list; the tools, postgres and redis components install the
# missing packages of their rows from it. Add a program here when code starts to run one.

PG_BINDIR="/usr/lib/postgresql/15/bin"
CHROMIUM_BIN="/usr/bin/chromium"
NODE_MIN_MAJOR=20  # playwright-core 1.65's "engines"

# One row a program: COMPONENT|NAME|WHERE|PACKAGE|NEEDED FOR
#   COMPONENT  the bin/setup component that installs it; a trailing '?' marks it optional (its
#              absence has a fallback, which the doctor names instead of failing)
#   WHERE      a command name (looked up on PATH) or an absolute path
#   PACKAGE    the Debian package, or 'bin/setup COMPONENT' where it is not one
PREREQS=(
  "java|java|java|openjdk-17-jdk-headless|the build, the worker, every JVM test"
  "java|mvn|mvn|maven|the build"
  "tools|busybox|/bin/busybox|busybox-static|the docker activity tests (their image is a static busybox)"
  "tools|zstd|zstd|zstd|the sandbox image cache, the store benchmark"
  "tools|tar|tar|tar|the sandbox image, the store benchmark"
  "tools|gzip|gzip|gzip|the store benchmark"
  "tools|jq|jq|jq|the README's runbook queries"
  "tools|runuser|runuser|util-linux|PostgreSQL test clusters (the server refuses root)"
  "tools|flock|flock|util-linux|bin/setup's image build lock"
  "tools|mount|mount|mount|the store's disk-full test (tmpfs)"
  "tools|kill|/usr/bin/kill|procps|orphan clean-up tests"
  "tools|pgrep|pgrep|procps|bin/setup's process checks"
  "images|debootstrap|debootstrap|debootstrap|building the sandbox image without a registry"
  "docker|docker|docker|docker.io|the sandbox, the docker activities and their tests"
  "docker?|dockerd|dockerd|docker.io|the engine bin/setup starts when none answers at DOCKER_HOST"
  "postgres|initdb|$PG_BINDIR/initdb|postgresql-15|PostgreSQL test clusters"
  "postgres|pg_ctl|$PG_BINDIR/pg_ctl|postgresql-15|PostgreSQL test clusters"
  "postgres|pg_dump|$PG_BINDIR/pg_dump|postgresql-15|postgres.dump on the host"
  "postgres|pg_restore|$PG_BINDIR/pg_restore|postgresql-15|postgres.restore on the host"
  "postgres|pg_basebackup|$PG_BINDIR/pg_basebackup|postgresql-15|postgres.basebackup on the host"
  "postgres|pg_rewind|$PG_BINDIR/pg_rewind|postgresql-15|postgres.rejoin on the host"
  "postgres|pg_verifybackup|$PG_BINDIR/pg_verifybackup|postgresql-15|postgres.verify of base backups"
  "postgres|pg_waldump|$PG_BINDIR/pg_waldump|postgresql-15|point-in-time recovery checks"
  "postgres|pgbench|$PG_BINDIR/pgbench|postgresql-15|benchmarks"
  "postgres|psql|$PG_BINDIR/psql|postgresql-client-15|the README's examples"
  "postgres|pgbackrest|pgbackrest|pgbackrest|the backup and restore benchmarks' baseline"
  "redis|redis-server|redis-server|redis-server|Redis test servers"
  "redis|redis-sentinel|redis-sentinel|redis-sentinel|Redis failover tests"
  "redis|redis-cli|redis-cli|redis-tools|Redis checks"
  "redis|redis-check-aof|redis-check-aof|redis-tools|redis.checkAof, AOF restores"
  "redis|redis-check-rdb|redis-check-rdb|redis-tools|RDB restores"
  "browser|chromium|$CHROMIUM_BIN|chromium|the Web UI test (headless)"
  "browser|chromedriver|chromedriver|chromium-driver|the Web UI test"
  "browser|node|node|bin/setup browser|the Web UI test (Playwright; Node.js 20+)"
  "browser|npm|npm|bin/setup browser|installing playwright-core"
  "browser|playwright-core|$DRCTL_CACHE/node/node_modules/playwright-core/package.json|bin/setup browser|the Web UI test"
  "temporal?|go|go|golang-go|building the Temporal CLI"
  "temporal?|temporal|$DRCTL_CACHE/bin/temporal|bin/setup temporal|the real Temporal dev server"
  "deploy|docker-compose|docker-compose|docker-compose|deploy/compose.yaml and its test (ComposeDeploymentIT)"
  "deploy|promtool|promtool|prometheus|checking deploy/prometheus/drctl-rules.yml (AlertRulesTest)"
)

# Where the program at WHERE is, or nothing. Builtins such as kill do not count.
prereq_locate() {
  local where="$1"
  if [[ $where == /* ]]; then
    if [[ -e $where ]]; then printf '%s\n' "$where"; fi
  else
    type -P "$where" || true
  fi
}

# prereq_problem NAME PATH: prints why a program that is there still does not do, or nothing.
prereq_problem() {
  case "$1" in
    busybox)
      # `ldd` says "not a dynamic executable" for a static binary; Debian's busybox package is dynamic.
      if ldd "$2" >/dev/null 2>&1; then
        printf '%s is dynamically linked (package busybox); the test image needs busybox-static\n' "$2"
      fi ;;
    java)
      local major; major="$(java_major)"
      [[ -n $major && $major -ge 17 ]] || printf 'java is version %s; 17 or newer is needed\n' "${major:-unknown}" ;;
    node)
      local major; major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
      (( major >= NODE_MIN_MAJOR )) || printf 'node is %s; playwright-core needs %s or newer\n' \
        "$(node --version 2>/dev/null)" "$NODE_MIN_MAJOR" ;;
  esac
}

# The first line a program prints of its version, shortened.
prereq_version() {
  local name="$1" path="$2" line
  line="$(case "$name" in
    java) java -version 2>&1 ;;
    mvn) mvn -v 2>/dev/null ;;
    busybox) "$path" 2>&1 ;;
    go) go version ;;
    pgbackrest) pgbackrest version ;;
    runuser|flock|mount|kill|pgrep) "$path" --version 2>&1 ;;
    playwright-core) sed -nE 's/.*"version": *"([^"]+)".*/playwright-core \1/p' "$path" ;;
    redis-check-aof|redis-check-rdb) redis-server --version ;;
    *) "$path" --version 2>/dev/null ;;
  esac 2>/dev/null | head -n 1 | sed -E 's/\x1b\[[0-9;]*m//g')"
  line="${line//$'\r'/}"
  printf '%s\n' "${line:0:70}"
}

# The command that installs a row's program.
prereq_fix() {
  local component="${1%\?}" package="$2"
  if [[ $package == bin/setup* ]]; then
    printf '%s\n' "$package"
  else
    printf 'apt-get install -y %s   (or: bin/setup %s)\n' "$package" "$component"
  fi
}

# prereq_packages COMPONENT: the Debian packages of that component's rows whose program is
# missing or unfit, each once.
prereq_packages() {
  local row component name where package _ path seen=" "
  for row in "${PREREQS[@]}"; do
    IFS='|' read -r component name where package _ <<<"$row"
    [[ ${component%\?} == "$1" && $package != bin/setup* ]] || continue
    path="$(prereq_locate "$where")"
    if [[ -z $path || -n "$(prereq_problem "$name" "$path")" ]]; then
      [[ $seen == *" $package "* ]] || { seen+="$package "; printf '%s\n' "$package"; }
    fi
  done
}

# prereq_install COMPONENT: installs the missing packages of a component's rows, then checks
# again; prints the packages it installed on stdout.
prereq_install() {
  local component="$1" missing=()
  mapfile -t missing < <(prereq_packages "$component")
  (( ${#missing[@]} )) || return 0
  apt_install "${missing[@]}" >&2 || return 1
  local still
  still="$(prereq_packages "$component" | tr '\n' ' ')"
  if [[ -n ${still// } ]]; then
    fail "$component: ${still% } still missing or unfit after apt-get install" "run 'bin/setup doctor' to see why"
    return 1
  fi
  printf '%s\n' "${missing[@]}"
}

# The doctor: every row with where it was found and its version; what is missing with its fix.
# Exit 1 when a required program is missing or unfit.
run_doctor() {
  local row component name where package needed path problem missing=0 report=()
  # What bin/setup installed outside PATH (the Temporal CLI, a Node.js of its own) counts.
  # shellcheck source=/dev/null
  [[ -r $ENV_FILE ]] && . "$ENV_FILE"
  printf '%-9s %-16s %-10s %-46s %s\n' STATUS PROGRAM COMPONENT FOUND VERSION
  for row in "${PREREQS[@]}"; do
    IFS='|' read -r component name where package needed <<<"$row"
    path="$(prereq_locate "$where")"
    if [[ -z $path ]]; then
      problem="not found ($where)"
    else
      problem="$(prereq_problem "$name" "$path")"
    fi
    if [[ -z $problem ]]; then
      printf '%-9s %-16s %-10s %-46s %s\n' ok "$name" "${component%\?}" "$path" "$(prereq_version "$name" "$path")"
    elif [[ $component == *\? ]]; then
      printf '%-9s %-16s %-10s %-46s %s\n' optional "$name" "${component%\?}" - "$problem; for $needed"
    else
      printf '%-9s %-16s %-10s %-46s %s\n' MISSING "$name" "$component" - "$problem"
      report+=("$name: $problem; needed for $needed" "    fix: $(prereq_fix "$component" "$package")")
      missing=$((missing + 1))
    fi
  done
  if [[ -z "$(prereq_locate "$DRCTL_CACHE/bin/temporal")" ]]; then
    printf '==> no Temporal CLI: drctl dev and the tests use the Java test server instead (bin/setup temporal builds the CLI)\n'
  fi
  if (( missing )); then
    printf '==> FAILED: %d prerequisite(s) missing or unfit:\n' "$missing" >&2
    printf '    %s\n' "${report[@]}" >&2
    return 1
  fi
  printf '==> doctor: every required program is in place\n'
}
