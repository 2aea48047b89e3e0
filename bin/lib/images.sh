# shellcheck shell=bash
# Component "images": the sandbox image local/drctl-sandbox:TAG, one Debian
# bookworm image for every role of the seed's platform (PostgreSQL 15 primary
# and replica, Redis 7, the backend app). No registry is needed: debootstrap
# builds a root filesystem and `docker import` makes it an image. TAG is a
# hash of the inputs (docker/sandbox/packages.txt, docker/sandbox/backend/ and
# this file), so a changed input rebuilds and an unchanged one is only checked.
# Needs the docker component first. See docker/sandbox/README.md.

SANDBOX_REPO=local/drctl-sandbox
SANDBOX_SRC="$ROOT/docker/sandbox"
SANDBOX_SUITE=bookworm
SANDBOX_VARIANT=minbase
IMAGES_DIR="$DRCTL_CACHE/images"
IMAGES_LOG="$DRCTL_CACHE/logs/images.log"
IMAGES_WAIT="${DRCTL_IMAGES_WAIT:-3600}"
# The Java side (module sandbox) reads these per-role overrides; bin/setup only
# checks (or pulls) them when set and keeps them in the env file.
SANDBOX_ROLE_VARS=(DRCTL_SANDBOX_POSTGRES_IMAGE DRCTL_SANDBOX_REDIS_IMAGE DRCTL_SANDBOX_BACKEND_IMAGE)
SANDBOX_IMPORT_CHANGES=(
  'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  'ENV LANG=C.UTF-8'
)

sandbox_packages() { sed -e 's/#.*//' "$SANDBOX_SRC/packages.txt" | tr -s ' \t' '\n' | grep -v '^$'; }

short_hash() { sha256sum | cut -c1-12; }

# Keys the cached debootstrap output: only what debootstrap sees.
sandbox_rootfs_key() {
  { printf 'debootstrap --variant=%s %s\n' "$SANDBOX_VARIANT" "$SANDBOX_SUITE"; sandbox_packages | LC_ALL=C sort -u; } | short_hash
}

sandbox_inputs() {
  printf '%s\n' "$SANDBOX_SRC/packages.txt" "$ROOT/bin/lib/images.sh"
  find "$SANDBOX_SRC/backend" -type f ! -path '*/__pycache__/*' ! -name '*.pyc' | LC_ALL=C sort
}

# Keys the image: the rootfs key plus the name and content of every input.
sandbox_tag() {
  local f
  {
    sandbox_rootfs_key
    while read -r f; do
      printf '%s %s\n' "${f#"$ROOT"/}" "$(sha256sum <"$f" | cut -d' ' -f1)"
    done < <(sandbox_inputs)
  } | short_hash
}

# Prints "URI [KEYRING]": the first enabled `deb` source for the suite's main
# component, read the way apt reads it (*.sources, then *.list files).
debian_mirror() {
  if [[ -n ${DRCTL_DEBIAN_MIRROR:-} ]]; then printf '%s\n' "$DRCTL_DEBIAN_MIRROR"; return 0; fi
  local f found
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -r $f ]] || continue
    found="$(awk -v suite="$SANDBOX_SUITE" '
      function has(list, word) { return (" " list " ") ~ (" " word " ") }
      function flush() {
        if (!done && has(types, "deb") && has(suites, suite) && has(comps, "main") && tolower(enabled) != "no" && uri != "") {
          print uri, (keyring ~ /^\// ? keyring : ""); done = 1
        }
        types = suites = comps = uri = keyring = enabled = ""
      }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      /^[ \t]/ { next }
      {
        key = tolower($1); sub(/:$/, "", key); val = $0; sub(/^[^:]*:[ \t]*/, "", val)
        if (key == "types") types = val; else if (key == "suites") suites = val
        else if (key == "components") comps = val; else if (key == "enabled") enabled = val
        else if (key == "uris") { split(val, u, /[ \t]+/); uri = u[1] }
        else if (key == "signed-by") keyring = val
      }
      END { flush() }' "$f")"
    [[ -n $found ]] && { printf '%s\n' "$found"; return 0; }
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -r $f ]] || continue
    found="$(awk -v suite="$SANDBOX_SUITE" '
      $1 != "deb" { next }
      {
        line = $0; keyring = ""
        if (match(line, /\[[^]]*\]/)) {
          opts = substr(line, RSTART + 1, RLENGTH - 2); line = substr(line, 1, RSTART - 1) substr(line, RSTART + RLENGTH)
          if (match(opts, /signed-by=[^ \t]+/)) keyring = substr(opts, RSTART + 10, RLENGTH - 10)
        }
        n = split(line, w, /[ \t]+/)
        if (w[3] != suite) next
        for (i = 4; i <= n; i++) if (w[i] == "main") { print w[2], keyring; exit }
      }' "$f")"
    [[ -n $found ]] && { printf '%s\n' "$found"; return 0; }
  done
  fail "images: no Debian mirror for debootstrap: DRCTL_DEBIAN_MIRROR is unset and no enabled '$SANDBOX_SUITE main' deb source is in /etc/apt/sources.list or /etc/apt/sources.list.d/" \
    "export DRCTL_DEBIAN_MIRROR=URL (a Debian $SANDBOX_SUITE mirror this machine reaches), or add it to apt's sources"
}

image_present() { docker image inspect "$1" >/dev/null 2>&1; }

image_describe() {
  docker image inspect --format '{{.Id}} {{.Size}}' "$1" 2>/dev/null |
    awk '{ printf "%s, %d MB", substr($1, 8, 12), $2 / 1000000 }'
}

# The images component talks to the engine the docker component chose, which
# this process only knows from the env file.
images_engine() {
  if ! have docker; then
    fail "images: no docker client on PATH" "run 'bin/setup docker images' (or install the Docker CLI)"
    return 1
  fi
  docker_answers && return 0
  if [[ -r $ENV_DIR/docker.sh ]]; then
    # shellcheck source=/dev/null
    . "$ENV_DIR/docker.sh"
    docker_answers && return 0
  fi
  fail "images: no Docker engine answers 'docker info' (DOCKER_HOST=${DOCKER_HOST:-unset})" \
    "run 'bin/setup docker images' (images needs the docker component), or point DOCKER_HOST at a running engine; or skip with DRCTL_SETUP_SKIP=images"
}

# image_ensure VAR: the image named by $VAR is present, or pulled from its registry.
image_ensure() {
  local var="$1" name="${!1}"
  if image_present "$name"; then
    say "images: ok ($var=$name present, $(image_describe "$name"))"
    return 0
  fi
  if [[ $name == local/* ]]; then
    fail "images: $var=$name is not in the engine's images" \
      "build or load that image (e.g. 'docker load'), or unset $var to let bin/setup build $SANDBOX_REPO"
    return 1
  fi
  say "images: docker pull $name ($var; log: $IMAGES_LOG)"
  if ! docker pull "$name" >"$IMAGES_LOG" 2>&1; then
    tail -n 5 "$IMAGES_LOG" >&2
    fail "images: docker pull $name ($var)" \
      "check that the engine can reach that registry, or unset $var to use $SANDBOX_REPO built by bin/setup"
    return 1
  fi
  say "images: pulled $name ($(image_describe "$name"))"
}

images_write_env() {
  local lines=("export DRCTL_SANDBOX_IMAGE='$1'") v
  for v in "${SANDBOX_ROLE_VARS[@]}"; do
    [[ -n ${!v:-} ]] && lines+=("export $v='${!v}'")
  done
  write_env images "${lines[@]}"
}

# images_remove_tree DIR: unmounts what debootstrap may have left mounted
# inside DIR (proc, sys, dev) and only then deletes it.
images_remove_tree() {
  local dir="$1" m
  [[ -e $dir ]] || return 0
  findmnt -rn -o TARGET | awk -v p="$dir/" 'index($0 "/", p) == 1' | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" || true
  done
  if findmnt -rn -o TARGET | awk -v p="$dir/" 'index($0 "/", p) == 1' | grep -q .; then
    warn "images: $dir still has mounts, not deleting it"
    return 1
  fi
  rm -rf --one-file-system "$dir"
}

# Apt's downloads and lists are not needed at run time.
rootfs_clean_apt() {
  local r="$1"
  rm -rf "$r"/var/cache/apt/archives/*.deb "$r"/var/cache/apt/*.bin "$r"/var/lib/apt/lists/* "$r"/var/log/* "$r"/tmp/* "$r"/var/tmp/*
  mkdir -p "$r/var/lib/apt/lists/partial"
}

# rootfs_debootstrap DIR FILE: a fresh root filesystem in DIR, saved to FILE.
rootfs_debootstrap() {
  local dir="$1" file="$2" apt_source mirror keyring="" packages t0=$SECONDS
  have debootstrap || apt_install debootstrap || return 1
  apt_source="$(debian_mirror)" || return 1
  read -r mirror keyring <<<"$apt_source"
  [[ -n $keyring && ! -r $keyring ]] && keyring=""
  packages="$(sandbox_packages | paste -sd, -)"
  say "images: debootstrap --variant=$SANDBOX_VARIANT --include=$packages $SANDBOX_SUITE $dir $mirror (1-2 min; log: $IMAGES_LOG)"
  if ! debootstrap ${keyring:+--keyring="$keyring"} --variant="$SANDBOX_VARIANT" --include="$packages" \
      "$SANDBOX_SUITE" "$dir" "$mirror" >"$IMAGES_LOG" 2>&1; then
    grep -E '^(E|W):' "$IMAGES_LOG" | tail -n 5 >&2 || tail -n 10 "$IMAGES_LOG" >&2
    fail "images: debootstrap $SANDBOX_SUITE from $mirror (log: $IMAGES_LOG)" \
      "read the log: a package in docker/sandbox/packages.txt may not exist in $SANDBOX_SUITE, or the mirror is unreachable (set DRCTL_DEBIAN_MIRROR)"
    return 1
  fi
  rootfs_clean_apt "$dir"
  IMAGES_TIMES+=("debootstrap $((SECONDS - t0))s")
  t0=$SECONDS
  if ! tar -C "$dir" --numeric-owner -cf - . | zstd -q -T0 -3 -o "$file.tmp"; then
    rm -f "$file.tmp"
    fail "images: could not write $file" "check free space under $IMAGES_DIR"
    return 1
  fi
  mv -f "$file.tmp" "$file"
  IMAGES_TIMES+=("cache $((SECONDS - t0))s")
}

# ids USER ROOTFS: "UID:GID" of USER in the image's /etc/passwd.
rootfs_ids() { awk -F: -v u="$1" '$1 == u { print $3 ":" $4 }' "$2/etc/passwd"; }

# What the sandbox roles need beyond the packages. All paths stay inside the
# rootfs: /var/run is an absolute symlink to /run, so use /run directly.
rootfs_finish() {
  local r="$1" pg redis_ids
  pg="$(rootfs_ids postgres "$r")"; redis_ids="$(rootfs_ids redis "$r")"
  if [[ -z $pg || -z $redis_ids ]]; then
    fail "images: the root filesystem has no postgres or redis user" "check docker/sandbox/packages.txt still lists postgresql-15 and redis-server"
    return 1
  fi
  rm -rf "$r/opt/drctl-backend"
  mkdir -p "$r/opt/drctl-backend" "$r/usr/local/bin"
  cp -R "$SANDBOX_SRC/backend/." "$r/opt/drctl-backend/"
  find "$r/opt/drctl-backend" \( -name __pycache__ -o -name '*.pyc' \) -prune -exec rm -rf {} +
  chown -R 0:0 "$r/opt/drctl-backend"
  chmod 0755 "$r/opt/drctl-backend/app.py"
  printf '#!/bin/sh\nexec python3 /opt/drctl-backend/app.py "$@"\n' >"$r/usr/local/bin/drctl-backend"
  chmod 0755 "$r/usr/local/bin/drctl-backend"
  if ! chroot "$r" python3 -m py_compile /opt/drctl-backend/app.py /opt/drctl-backend/sink.py 2>"$IMAGES_LOG"; then
    cat "$IMAGES_LOG" >&2
    fail "images: python3 -m py_compile docker/sandbox/backend/*.py" "fix the syntax error above"
    return 1
  fi
  # The package's default cluster is unused: the sandbox runs initdb itself.
  rm -rf "$r/var/lib/postgresql/15/main" "$r/etc/postgresql/15/main"
  install -d -o "${pg%:*}" -g "${pg#*:}" -m 0755 "$r/var/lib/postgresql"
  install -d -o "${pg%:*}" -g "${pg#*:}" -m 2775 "$r/run/postgresql"
  install -d -o "${redis_ids%:*}" -g "${redis_ids#*:}" -m 0755 "$r/data"
  rootfs_clean_apt "$r"
  find "$r/usr/share/doc" -type f ! -name copyright -delete 2>/dev/null || true
  rm -rf "$r/usr/share/man" "$r/usr/share/info"
}

# Checks the new image can serve every role before it becomes current.
image_smoke_test() {
  docker run --rm --network host --user postgres "$1" sh -ec '
    test -w /var/lib/postgresql && test -w /run/postgresql
    initdb --version >/dev/null && pg_basebackup --version >/dev/null && redis-server --version >/dev/null
    python3 -c "import psycopg2, redis, http.server"
    drctl-backend --help >/dev/null && python3 /opt/drctl-backend/sink.py --help >/dev/null' >"$IMAGES_LOG" 2>&1
}

# Old builds of our repository only; never other images. A tag still used by a
# container stays (docker refuses), with a warning.
images_prune() {
  local keep="$1" t
  while read -r t; do
    [[ $t == "$keep" || $t == latest || $t == '<none>' ]] && continue
    if docker rmi "$SANDBOX_REPO:$t" >/dev/null 2>&1; then
      say "images: removed old $SANDBOX_REPO:$t"
    else
      warn "images: could not remove old $SANDBOX_REPO:$t (still used by a container?)"
    fi
  done < <(docker images "$SANDBOX_REPO" --format '{{.Tag}}')
}

# DRCTL_IMAGES_PRIVATE=1: build or check the image of this checkout only, and
# leave the shared state alone (no :latest tag, no prune, no env file). For a
# second checkout whose docker/sandbox differs, beside one whose tests use the
# current image; export DRCTL_SANDBOX_IMAGE to the printed tag in that shell.
images_use() {
  local image="$1"
  if [[ ${DRCTL_IMAGES_PRIVATE:-} == 1 ]]; then
    say "images: private build $image (DRCTL_IMAGES_PRIVATE=1: no :latest tag, no prune, env file unchanged)"
    return 0
  fi
  if [[ "$(docker image inspect -f '{{.Id}}' "$SANDBOX_REPO:latest" 2>/dev/null)" != "$(docker image inspect -f '{{.Id}}' "$image")" ]]; then
    docker tag "$image" "$SANDBOX_REPO:latest" || { fail "images: docker tag $image $SANDBOX_REPO:latest" "read the error above"; return 1; }
  fi
  images_prune "${image#*:}"
  images_write_env "$image"
}

# Runs in a subshell: it holds the build lock and cleans its work dir on exit.
images_build() {
  local key tag image rootfs work lock t0=$SECONDS t
  IMAGES_TIMES=()
  mkdir -p "$IMAGES_DIR" "$(dirname "$IMAGES_LOG")"
  exec {lock}>"$IMAGES_DIR/.lock"
  if ! flock -n "$lock"; then
    say "images: another bin/setup is building the image; waiting for it (up to ${IMAGES_WAIT}s)"
    flock -w "$IMAGES_WAIT" "$lock" || { fail "images: still locked after ${IMAGES_WAIT}s ($IMAGES_DIR/.lock)" "wait for the other bin/setup, or stop it"; return 1; }
  fi
  key="$(sandbox_rootfs_key)"; tag="$(sandbox_tag)"; image="$SANDBOX_REPO:$tag"
  if image_present "$image"; then
    images_use "$image" || return 1
    say "images: ok ($image present, $(image_describe "$image"))"
    return 0
  fi
  rootfs="$IMAGES_DIR/rootfs-$SANDBOX_SUITE-$key.tar.zst"
  work="$IMAGES_DIR/work"
  images_remove_tree "$work" || return 1
  # shellcheck disable=SC2064  # expand now: the trap runs after this function
  trap "images_remove_tree '$work'" EXIT
  mkdir -p "$work/rootfs"
  say "images: building $image (inputs: docker/sandbox/packages.txt, docker/sandbox/backend/, bin/lib/images.sh)"
  have zstd || apt_install zstd || return 1
  if [[ -s $rootfs ]]; then
    t=$SECONDS
    say "images: unpacking the cached root filesystem $rootfs"
    zstd -q -dc "$rootfs" | tar -C "$work/rootfs" --numeric-owner -xpf - ||
      { fail "images: unpacking $rootfs" "delete it and run bin/setup images again"; return 1; }
    IMAGES_TIMES+=("unpack $((SECONDS - t))s")
  else
    rootfs_debootstrap "$work/rootfs" "$rootfs" || return 1
  fi
  t=$SECONDS
  rootfs_finish "$work/rootfs" || return 1
  IMAGES_TIMES+=("finish $((SECONDS - t))s")
  t=$SECONDS
  local changes=() c
  for c in "${SANDBOX_IMPORT_CHANGES[@]}"; do changes+=(--change "$c"); done
  say "images: docker import $image"
  if ! tar -C "$work/rootfs" --numeric-owner -cf - . |
      docker import "${changes[@]}" --message "drctl sandbox, inputs $tag" - "$image" >"$IMAGES_LOG" 2>&1; then
    cat "$IMAGES_LOG" >&2
    fail "images: docker import $image" "read the error above; check free space in the engine's data root"
    return 1
  fi
  IMAGES_TIMES+=("import $((SECONDS - t))s")
  t=$SECONDS
  if ! image_smoke_test "$image"; then
    cat "$IMAGES_LOG" >&2
    docker rmi "$image" >/dev/null 2>&1 || true
    fail "images: the new image failed its check (PostgreSQL, Redis, backend; output above)" \
      "fix docker/sandbox/ or bin/lib/images.sh and run bin/setup images again"
    return 1
  fi
  IMAGES_TIMES+=("check $((SECONDS - t))s")
  images_use "$image" || return 1
  t=$SECONDS
  images_remove_tree "$work" || true
  IMAGES_TIMES+=("cleanup $((SECONDS - t))s")
  # Only the current rootfs is worth keeping: ~250 MB each.
  find "$IMAGES_DIR" -maxdepth 1 -name 'rootfs-*.tar.zst' ! -name "${rootfs##*/}" -print -delete | sed 's/^/==> images: removed old /'
  local times; printf -v times '%s, ' "${IMAGES_TIMES[@]}"
  local also=", also tagged $SANDBOX_REPO:latest"; [[ ${DRCTL_IMAGES_PRIVATE:-} == 1 ]] && also=""
  say "images: built $image in $((SECONDS - t0))s (${times%, }; $(image_describe "$image"))$also"
}

setup_images() {
  images_engine || return 1
  local v
  for v in "${SANDBOX_ROLE_VARS[@]}"; do
    [[ -n ${!v:-} ]] && { image_ensure "$v" || return 1; }
  done
  # Our own repository is reserved for what bin/setup builds, so a value that
  # names it is what an earlier run exported, not a choice to respect.
  if [[ -n ${DRCTL_SANDBOX_IMAGE:-} && $DRCTL_SANDBOX_IMAGE != "$SANDBOX_REPO:"* ]]; then
    image_ensure DRCTL_SANDBOX_IMAGE || return 1
    images_write_env "$DRCTL_SANDBOX_IMAGE"
    return 0
  fi
  (images_build)
}

stop_images() { :; }
