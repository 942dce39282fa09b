# Sourced by ./build, ./weir and .ci/run: sets JAVA_HOME to a JDK 21 or newer, or says why not.
# Order: $JAVA_HOME if new enough, the java on PATH, then JDKs under /usr/lib/jvm (newest first).

weir_java_major() { # prints the feature version of the java binary $1, or nothing
  # the JDK's release file says it without starting a JVM (about 0.2 s, more on a busy machine)
  local release version
  release="$(dirname "$(dirname "$1")")/release"
  if [ -r "$release" ]; then
    version=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9.]*\).*"$/\1/p' "$release" | head -n1)
    case "$version" in
      1.*) echo "${version#1.}"; return 0 ;; # 1.8.0 is 8
      [0-9]*) echo "$version"; return 0 ;;
    esac
  fi
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1
}

weir_find_jdk() {
  local candidate major
  local -a candidates=()
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(weir_java_major "$JAVA_HOME/bin/java") # the usual case, without looking further
    if [ -n "$major" ] && [ "${major%%.*}" -ge 21 ] 2>/dev/null; then export JAVA_HOME; return 0; fi
  fi
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${candidate%/}"); done
  for candidate in "${candidates[@]}"; do
    [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(weir_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "${major%%.*}" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "weir: no JDK 21 or newer found (looked at \$JAVA_HOME, PATH and /usr/lib/jvm); install one, e.g. 'apt-get install openjdk-21-jdk-headless', or set JAVA_HOME" >&2
  return 1
}
