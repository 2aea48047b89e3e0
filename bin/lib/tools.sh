# shellcheck shell=bash
# Component "tools": the small programs that tests, benchmarks and the product run beside the
# servers (a static busybox, zstd, tar, gzip, jq, util-linux, procps): the "tools" rows of
# bin/lib/prereqs.sh, installed from Debian's packages when missing.

setup_tools() {
  local installed
  installed="$(prereq_install tools)" || return 1
  local state="ok"; [[ -n $installed ]] && state="installed $(tr '\n' ' ' <<<"$installed")"
  say "tools: ${state% } (busybox static, zstd, tar, gzip, jq, util-linux, procps)"
}

stop_tools() { :; }
