# shellcheck shell=bash
# Component "deploy": what running drctl in production needs on this machine.
# - docker-compose (Debian's 1.29) for deploy/compose.yaml, and promtool (from
#   Debian's prometheus package) for deploy/prometheus/drctl-rules.yml;
# - local/drctl-worker-base:KEY, a debootstrap root filesystem with
#   docker/worker/packages.txt and the non-root user drctl, made the way the
#   sandbox image is (no registry); KEY hashes the packages and
#   WORKER_BASE_RECIPE (raise it when worker_base_build changes);
# - local/drctl-worker:TAG, `docker build` of docker/worker/Dockerfile on that
#   base with worker/target/drctl.jar (TAG hashes the base and the jar), and
#   local/drctl-temporal:TAG, the Temporal CLI's dev server on the same base.
# Needs the docker and temporal components first. Never touches
# local/drctl-sandbox. DRCTL_IMAGES_PRIVATE=1 builds without the :latest tags,
# without pruning and without writing the env file, as for the sandbox image.
# DRCTL_DEPLOY_NO_JAR=1 (bin/test) skips the two images when the jar is not
# built yet instead of building it: the compose test runs this again later.

WORKER_REPO=local/drctl-worker
WORKER_BASE_REPO=local/drctl-worker-base
TEMPORAL_IMAGE_REPO=local/drctl-temporal
WORKER_SRC="$ROOT/docker/worker"
TEMPORAL_IMAGE_SRC="$ROOT/docker/temporal"
WORKER_JAR="$ROOT/worker/target/drctl.jar"
WORKER_UID=10001
WORKER_BASE_RECIPE=1
DEPLOY_LOG="$DRCTL_CACHE/logs/deploy.log"

worker_packages() { sed -e 's/#.*//' "$WORKER_SRC/packages.txt" | tr -s ' \t' '\n' | grep -v '^$'; }

file_digest() { sha256sum <"$1" | cut -d' ' -f1; }

# The base image's key: what debootstrap sees and the recipe's version.
worker_base_key() {
  {
    printf 'debootstrap --variant=%s %s recipe %s uid %s\n' "$SANDBOX_VARIANT" "$SANDBOX_SUITE" "$WORKER_BASE_RECIPE" "$WORKER_UID"
    worker_packages | LC_ALL=C sort -u
  } | short_hash
}

# deploy_tools: docker-compose and promtool, from Debian (their rows in prereqs.sh).
deploy_tools() {
  prereq_install deploy >/dev/null || return 1
  say "deploy: ok (docker-compose $(docker-compose version --short 2>/dev/null), $(promtool --version 2>&1 | head -n1 | cut -d' ' -f1-3))"
}

# worker_base_build IMAGE: debootstrap, the drctl user and docker import.
worker_base_build() {
  local image="$1" work="$IMAGES_DIR/work-worker" apt_source mirror keyring="" packages t0=$SECONDS
  images_remove_tree "$work" || return 1
  # shellcheck disable=SC2064  # expand now: the trap runs after this function
  trap "images_remove_tree '$work'" EXIT
  mkdir -p "$work/rootfs"
  have debootstrap || apt_install debootstrap || return 1
  apt_source="$(debian_mirror)" || return 1
  read -r mirror keyring <<<"$apt_source"
  [[ -n $keyring && ! -r $keyring ]] && keyring=""
  packages="$(worker_packages | paste -sd, -)"
  say "deploy: debootstrap --variant=$SANDBOX_VARIANT --include=$packages $SANDBOX_SUITE (2-3 min; log: $DEPLOY_LOG)"
  if ! debootstrap ${keyring:+--keyring="$keyring"} --variant="$SANDBOX_VARIANT" --include="$packages" \
      "$SANDBOX_SUITE" "$work/rootfs" "$mirror" >"$DEPLOY_LOG" 2>&1; then
    grep -E '^(E|W):' "$DEPLOY_LOG" | tail -n 5 >&2 || tail -n 10 "$DEPLOY_LOG" >&2
    fail "deploy: debootstrap $SANDBOX_SUITE from $mirror (log: $DEPLOY_LOG)" \
      "read the log: a package in docker/worker/packages.txt may not exist in $SANDBOX_SUITE, or the mirror is unreachable (set DRCTL_DEBIAN_MIRROR)"
    return 1
  fi
  DEPLOY_TIMES+=("debootstrap $((SECONDS - t0))s")
  local r="$work/rootfs"
  if ! chroot "$r" useradd --uid "$WORKER_UID" --user-group --home-dir /var/lib/drctl --create-home --shell /bin/sh drctl >>"$DEPLOY_LOG" 2>&1; then
    tail -n 5 "$DEPLOY_LOG" >&2
    fail "deploy: useradd drctl in the worker root filesystem" "read the error above"
    return 1
  fi
  rm -rf "$r/var/lib/postgresql/15/main" "$r/etc/postgresql/15/main"
  rootfs_clean_apt "$r"
  find "$r/usr/share/doc" -type f ! -name copyright -delete 2>/dev/null || true
  rm -rf "$r/usr/share/man" "$r/usr/share/info"
  t0=$SECONDS
  if ! tar -C "$r" --numeric-owner -cf - . |
      docker import --change 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'ENV LANG=C.UTF-8' --message "drctl worker base, inputs $(worker_base_key)" - "$image" >>"$DEPLOY_LOG" 2>&1; then
    tail -n 5 "$DEPLOY_LOG" >&2
    fail "deploy: docker import $image" "read the error above; check free space in the engine's data root"
    return 1
  fi
  DEPLOY_TIMES+=("import $((SECONDS - t0))s")
  images_remove_tree "$work" || true
  trap - EXIT
}

# docker_build_image IMAGE DOCKERFILE BASE FILE...: `docker build` of DOCKERFILE
# with only FILE... in its context. The classic builder: the client here has no
# buildx, and the Debian engine builds FROM a local image without a registry.
docker_build_image() {
  local image="$1" dockerfile="$2" base="$3" context f
  shift 3
  context="$(mktemp -d "$IMAGES_DIR/context.XXXXXX")"
  cp "$dockerfile" "$context/Dockerfile"
  for f in "$@"; do cp "$f" "$context/"; done
  if ! DOCKER_BUILDKIT=0 docker build --quiet --build-arg "BASE=$base" --tag "$image" "$context" >>"$DEPLOY_LOG" 2>&1; then
    rm -rf "$context"
    tail -n 10 "$DEPLOY_LOG" >&2
    fail "deploy: docker build $image" "read the error above (log: $DEPLOY_LOG)"
    return 1
  fi
  rm -rf "$context"
}

# deploy_image REPO TAG DOCKERFILE BASE FILE...: builds REPO:TAG unless present;
# then (unless private) tags it :latest and removes older tags of REPO only.
deploy_image() {
  local repo="$1" tag="$2" dockerfile="$3" base="$4" image t0=$SECONDS t
  shift 4
  image="$repo:$tag"
  if image_present "$image"; then
    say "deploy: ok ($image present, $(image_describe "$image"))"
  else
    docker_build_image "$image" "$dockerfile" "$base" "$@" || return 1
    say "deploy: built $image in $((SECONDS - t0))s ($(image_describe "$image"))"
  fi
  [[ ${DRCTL_IMAGES_PRIVATE:-} == 1 ]] && return 0
  docker tag "$image" "$repo:latest" || { fail "deploy: docker tag $image $repo:latest" "read the error above"; return 1; }
  while read -r t; do
    [[ $t == "$tag" || $t == latest || $t == '<none>' ]] && continue
    docker rmi "$repo:$t" >/dev/null 2>&1 && say "deploy: removed old $repo:$t" ||
      warn "deploy: could not remove old $repo:$t (still used by a container?)"
  done < <(docker images "$repo" --format '{{.Tag}}')
}

digest_tag() { { printf '%s\n' "$@"; } | short_hash; }

# Runs in a subshell: it holds the images lock and may set an EXIT trap.
deploy_images() {
  local lock base_key base worker_tag temporal_tag
  DEPLOY_TIMES=()
  mkdir -p "$IMAGES_DIR" "$(dirname "$DEPLOY_LOG")"
  exec {lock}>"$IMAGES_DIR/.deploy.lock"
  if ! flock -n "$lock"; then
    say "deploy: another bin/setup is building the worker images; waiting for it (up to ${IMAGES_WAIT}s)"
    flock -w "$IMAGES_WAIT" "$lock" || { fail "deploy: still locked after ${IMAGES_WAIT}s ($IMAGES_DIR/.deploy.lock)" "wait for the other bin/setup, or stop it"; return 1; }
  fi
  base_key="$(worker_base_key)"; base="$WORKER_BASE_REPO:$base_key"
  if image_present "$base"; then
    say "deploy: ok ($base present, $(image_describe "$base"))"
  else
    local t0=$SECONDS
    worker_base_build "$base" || return 1
    say "deploy: built $base in $((SECONDS - t0))s (${DEPLOY_TIMES[*]}; $(image_describe "$base"))"
  fi
  if [[ ! -s $WORKER_JAR ]]; then
    if [[ ${DRCTL_DEPLOY_NO_JAR:-} == 1 ]]; then
      say "deploy: $WORKER_JAR is not built yet; the worker image waits for it (DRCTL_DEPLOY_NO_JAR=1)"
      return 0
    fi
    "$ROOT/bin/drctl" --version >/dev/null || { fail "deploy: building $WORKER_JAR" "run bin/drctl --version and read the build error"; return 1; }
  fi
  worker_tag="$(digest_tag "$base" "$(file_digest "$WORKER_SRC/Dockerfile")" "$(file_digest "$WORKER_SRC/drctl")" \
    "$(file_digest "$WORKER_SRC/drctl-healthcheck")" "$(file_digest "$WORKER_JAR")")"
  deploy_image "$WORKER_REPO" "$worker_tag" "$WORKER_SRC/Dockerfile" "$base" \
    "$WORKER_JAR" "$WORKER_SRC/drctl" "$WORKER_SRC/drctl-healthcheck" || return 1
  local env_lines=("export DRCTL_WORKER_IMAGE='$WORKER_REPO:$worker_tag'")
  if [[ -x ${DRCTL_TEMPORAL_CLI:-} ]]; then
    temporal_tag="$(digest_tag "$base" "$(file_digest "$TEMPORAL_IMAGE_SRC/Dockerfile")" "$(file_digest "$DRCTL_TEMPORAL_CLI")")"
    deploy_image "$TEMPORAL_IMAGE_REPO" "$temporal_tag" "$TEMPORAL_IMAGE_SRC/Dockerfile" "$base" "$DRCTL_TEMPORAL_CLI" || return 1
    env_lines+=("export DRCTL_TEMPORAL_IMAGE='$TEMPORAL_IMAGE_REPO:$temporal_tag'")
  else
    warn "deploy: no Temporal CLI (DRCTL_TEMPORAL_CLI=${DRCTL_TEMPORAL_CLI:-unset}), so no $TEMPORAL_IMAGE_REPO image: point deploy/compose.yaml at a real server with TEMPORAL_ADDRESS"
  fi
  local names=("${env_lines[@]#export }")
  say "deploy: images ${names[*]}"
  if [[ ${DRCTL_IMAGES_PRIVATE:-} == 1 ]]; then
    say "deploy: private build (DRCTL_IMAGES_PRIVATE=1: no :latest tags, no prune, env file unchanged)"
  else
    write_env deploy "${env_lines[@]}"
  fi
}

setup_deploy() {
  deploy_tools || return 1
  images_engine || return 1
  if [[ -z ${DRCTL_TEMPORAL_CLI:-} && -r $ENV_DIR/temporal.sh ]]; then
    # shellcheck source=/dev/null
    . "$ENV_DIR/temporal.sh"
  fi
  (deploy_images)
}

stop_deploy() { :; }
