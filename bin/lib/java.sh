# shellcheck shell=bash
# Component "java": JDK 17+ and Maven are preinstalled on the project's
# machines, so this only checks them.

java_major() {
  # `java -version` prints e.g.: openjdk version "17.0.15" 2025-04-15
  java -version 2>&1 | sed -nE '1s/.*version "([0-9]+)(\.[^"]*)?".*/\1/p'
}

setup_java() {
  if ! have java; then
    fail "java not found on PATH" "apt-get install -y openjdk-17-jdk-headless"; return 1
  fi
  local major; major="$(java_major)"
  if [[ -z $major || $major -lt 17 ]]; then
    fail "java is version '${major:-unknown}', need 17 or newer" \
      "apt-get install -y openjdk-17-jdk-headless, or put a JDK 17+ first on PATH / set JAVA_HOME"
    return 1
  fi
  if ! have mvn; then
    fail "mvn not found on PATH" "apt-get install -y maven"; return 1
  fi
  local mvnv; mvnv="$(mvn -v 2>/dev/null | sed -nE '1s/.*Maven ([0-9.]+).*/\1/p')"
  say "java: ok (java $major, maven ${mvnv:-?})"
}

stop_java() { :; }
