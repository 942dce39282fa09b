#!/usr/bin/env bash
# Packages Weir; run by the packaging profile (./mvnw -Ppackaging -DskipTests package), after the apps
# are built. Environment: WEIR_ROOT (the repository), WEIR_OUT (packaging/target), WEIR_VERSION
# (numbers only, as jpackage wants), JAVA_HOME (a JDK 25 with jlink and jpackage).
#
# Builds, under WEIR_OUT:
#   runtime-weir/        jlink runtime with only the modules the terminal console needs (jdeps)
#   weir/                jpackage app image of the CLI and terminal console: weir/bin/weir
#   weir-VERSION-linux-x64.tar.gz   that image as the bastion archive (no Java needed on the host)
#   runtime-desktop/, weir-desktop/  the same for the desktop console: weir-desktop/bin/weir-desktop
#   weir-desktop_VERSION_amd64.deb  (and an .rpm where rpmbuild exists)
# Each app image carries a JDK 25 ahead-of-time cache trained on real commands (lib/app/*.aot); a
# launcher whose cache does not match its runtime starts without it.
set -euo pipefail

root="${WEIR_ROOT:?}"
out="${WEIR_OUT:?}"
version="${WEIR_VERSION:?}"
jdk="${JAVA_HOME:?}"
tui="$root/app-tui/target"
desktop="$root/app-javafx/target"

say() { printf 'packaging: %s\n' "$*"; }
fail() { printf 'packaging: %s\n' "$*" >&2; exit 1; }

[ -x "$jdk/bin/jlink" ] && [ -x "$jdk/bin/jpackage" ] || fail "$jdk has no jlink or jpackage; set JAVA_HOME to a JDK 25"
[ -f "$tui/weir.jar" ] && [ -d "$tui/lib" ] || fail "$tui/weir.jar or its lib/ is missing; build app-tui first (./build)"

# The Java modules a set of jars needs, as jdeps finds them, plus those loaded by name at run time
# that no class refers to (jdeps cannot see them). Kept beside the runtime with the jar list it was
# computed for, since jdeps takes a minute on a busy machine.
modules_for() { # name main-jar lib-dir extra-modules
  local name=$1 jar=$2 lib=$3 extra=$4 cache="$out/$1.modules"
  local key
  key=$(cd "$lib" && ls -l --time-style=+%s ./*.jar | awk '{print $5, $6, $7}' | sha256sum | cut -c1-16)
  if [ -f "$cache" ] && [ "$(head -n1 "$cache")" = "$key" ]; then
    sed -n 2p "$cache"
    return
  fi
  local found
  found=$("$jdk/bin/jdeps" --multi-release 21 --ignore-missing-deps --print-module-deps \
    --class-path "$lib/*" "$jar" | tail -n1)
  printf '%s\n%s\n' "$key" "$found,$extra" >"$cache"
  echo "$found,$extra"
}

# jlink: no debug symbols, headers or man pages; the default CDS archive of the runtime's own classes.
runtime() { # dir modules [module-path]
  local dir=$1 modules=$2 path=${3:-}
  rm -rf "$dir"
  "$jdk/bin/jlink" ${path:+--module-path "$path"} --add-modules "$modules" \
    --strip-debug --no-header-files --no-man-pages --compress=zip-0 --generate-cds-archive \
    --output "$dir"
  # the archive for heaps over 32 GB: a console never has one
  rm -f "$dir/lib/server/classes_nocoops.jsa"
}

# Copies jars with their entries stored, not deflated: xz (the archive, the .deb) then compresses
# all classes together, which halves the download; the JVM reads stored entries as fast or faster.
# Signed jars stay valid (a signature covers entry contents, not their compression). Without
# python3 the jars are copied as they are.
stored_jars() { # from-dir to-dir
  mkdir -p "$2"
  if command -v python3 >/dev/null; then
    python3 - "$1" "$2" <<'PY'
import os, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
for name in sorted(os.listdir(src)):
    if not name.endswith(".jar"):
        continue
    with zipfile.ZipFile(os.path.join(src, name)) as zin, \
         zipfile.ZipFile(os.path.join(dst, name), "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info.filename), compress_type=zipfile.ZIP_STORED)
PY
  else
    cp "$1"/*.jar "$2/"
  fi
}

# ---------------------------------------------------------------------------------------------
# The CLI and terminal console
# ---------------------------------------------------------------------------------------------
# jdk.crypto.ec: EC keys for SSH and TLS on runtimes that still split it out; jdk.zipfs: JGit's
# and the sandbox's archives; jdk.charsets: terminals in legacy encodings.
tui_modules=$(modules_for weir "$tui/weir.jar" "$tui/lib" "jdk.crypto.ec,jdk.zipfs,jdk.charsets")
say "terminal runtime: $tui_modules"
runtime "$out/runtime-weir" "$tui_modules"

input="$out/input-weir"
rm -rf "$input" "$out/weir"
mkdir -p "$input/lib"
cp "$tui/weir.jar" "$input/"
stored_jars "$tui/lib" "$input/lib"
# The same JVM options as ./weir's short commands use, with the serial collector for every
# command (a console's heap is small); the AOT cache is named here and trained below.
"$jdk/bin/jpackage" --type app-image --name weir --dest "$out" \
  --input "$input" --main-jar weir.jar --main-class dev.weir.tui.launch.Main \
  --runtime-image "$out/runtime-weir" --app-version "$version" \
  --description "Weir: GitOps and progressive delivery, from the terminal" \
  --vendor "Weir" \
  --java-options "-XX:+UseSerialGC" \
  --java-options "-XX:AOTCacheOutput=\$APPDIR/weir.aot" \
  --java-options "-XX:-AOTClassLinking" \
  --java-options "-Xlog:aot=off,cds=off" \
  --java-options "--enable-native-access=ALL-UNNAMED" \
  --java-options "--sun-misc-unsafe-memory-access=allow" \
  --java-options "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"
[ -x "$out/weir/bin/weir" ] || fail "jpackage made no $out/weir/bin/weir"

# The launchers are shell scripts (decision 0047), written from jpackage's configuration
# (lib/app/NAME.cfg) each time that changes. jpackage's own Linux launcher asks the package
# managers who owns it at every start (`rpm -qf`, then `dpkg -S`, and `dpkg -L` of the package when
# installed from one), three to five processes and about 170 ms of a 290 ms `weir --version`. The
# script execs the runtime's java with the same options and class path, in the same order (the AOT
# cache checks the class path). jpackage's launcher is kept as lib/NAME-launcher for the OCI
# image, which has no shell (there popen fails at once and costs nothing).
script_launcher() { # app-image-dir launcher-name
  local image=$1 name=$2 cfg="$1/lib/app/$2.cfg" main cp="" opts="" line
  [ -f "$cfg" ] || fail "no $cfg to write the $name launcher from"
  [ -f "$image/lib/$name-launcher" ] || cp -p "$image/bin/$name" "$image/lib/$name-launcher"
  main=$(sed -n 's/^app.mainclass=//p' "$cfg")
  while IFS= read -r line; do
    case "$line" in
      app.classpath=*) cp="$cp${cp:+:}${line#app.classpath=}" ;;
      java-options=*) opts="$opts \"${line#java-options=}\"" ;;
    esac
  done <"$cfg"
  [ -n "$main" ] && [ -n "$cp" ] || fail "$cfg names no main class or class path"
  # $APPDIR, as jpackage expands it: the folder of the configuration
  cp=${cp//\$APPDIR/\$app\/lib\/app}
  opts=${opts//\$APPDIR/\$app\/lib\/app}
  cat >"$image/bin/$name" <<SCRIPT
#!/bin/sh
# $name: Weir on the Java runtime beside it, written by packaging/src/package.sh from
# lib/app/$name.cfg (decision 0047). Follows a link (/usr/bin/weir) to find its folder; else
# runs no other program before java.
case "\$0" in /*) self=\$0 ;; *) self=\$PWD/\$0 ;; esac
[ -L "\$self" ] && self=\$(readlink -f "\$self")
app=\${self%/bin/*}
exec "\$app/lib/runtime/bin/java"$opts -cp "$cp" $main "\$@"
SCRIPT
  chmod 0755 "$image/bin/$name"
}

# Ahead-of-time cache (JDK 25, JEP 514/515), trained by the launcher itself so the cache records
# exactly the class path the launcher gives (and the jars' times, which tar and dpkg keep): one run
# of the terminal console on a sandbox of its own, in tmux, quit once the applications are on
# screen. The launcher is then switched from writing the cache to reading it. A cache that does not
# match the runtime or the jars is ignored (-XX:AOTMode=auto, the default) and the JVM starts as
# usual, with the runtime's own CDS archive. The cache is made without AOT class linking
# (-XX:-AOTClassLinking, decision 0043): its classes are then loaded as each is first used, like
# class data sharing, instead of all before `main`, which delayed the terminal's first frame by a
# second; the heavy work gains nearly as much either way.
train() { # app-image-dir launcher-name cache-name wait-for-text command...
  local image=$1 launcher=$2 cache=$3 text=$4
  shift 4
  local home session="weir-aot-$$" waited=0
  home=$(mktemp -d)
  local cfg="$image/lib/app/$launcher.cfg"
  if ! command -v tmux >/dev/null; then
    fail "training the AOT cache needs tmux (apt-get install tmux)"
  fi
  tmux -L "$session" new-session -d -x 80 -y 24 \
    "cd '$home' && HOME='$home' XDG_DATA_HOME='$home/data' XDG_CONFIG_HOME='$home/config' \
     XDG_CACHE_HOME='$home/cache' '$image/bin/$launcher' $* ; echo trained >'$home/done'; sleep 600"
  until [ -z "$text" ] || tmux -L "$session" capture-pane -p 2>/dev/null | grep -q "$text"; do
    sleep 1; waited=$((waited + 1))
    [ -f "$home/done" ] && break
    [ $waited -lt 300 ] || { tmux -L "$session" kill-server; fail "training $launcher: '$text' not on screen in 300 s"; }
  done
  [ -n "$text" ] && tmux -L "$session" send-keys ':q' Enter
  waited=0
  until [ -f "$home/done" ]; do
    sleep 1; waited=$((waited + 1))
    [ $waited -lt 300 ] || { tmux -L "$session" kill-server; fail "training $launcher: it did not quit in 300 s"; }
  done
  tmux -L "$session" kill-server 2>/dev/null || true
  rm -rf "$home"
  [ -f "$image/lib/app/$cache" ] || fail "training $launcher wrote no AOT cache"
  sed -i "s|-XX:AOTCacheOutput=|-XX:AOTCache=|" "$cfg"
  script_launcher "$image" "$launcher"
}
script_launcher "$out/weir" weir
train "$out/weir" weir weir.aot storefront tui
say "terminal AOT cache: $(du -h "$out/weir/lib/app/weir.aot" | cut -f1)"

# The bastion archive: the app image without its AOT cache (72 MB of it would not fit the 60 MB a
# bastion download may take), whose launcher instead builds a class-data archive beside itself at
# its first run and maps it at every run after (-XX:+AutoCreateSharedArchive; where the folder is
# not writable, the JVM starts without one).
stage="$out/archive-stage"
rm -rf "$stage"
mkdir -p "$stage"
cp -a "$out/weir" "$stage/"
rm -f "$stage/weir/lib/app/weir.aot"
sed -i 's|^java-options=-XX:AOTCache=.*$|java-options=-XX:+AutoCreateSharedArchive\njava-options=-XX:SharedArchiveFile=$APPDIR/weir.jsa|' \
  "$stage/weir/lib/app/weir.cfg"
grep -q AutoCreateSharedArchive "$stage/weir/lib/app/weir.cfg" || fail "the bastion launcher's configuration was not rewritten"
script_launcher "$stage/weir" weir
grep -q AutoCreateSharedArchive "$stage/weir/bin/weir" || fail "the bastion launcher was not rewritten"
archive="$out/weir-$version-linux-x64.tar.xz"
rm -f "$out"/weir-*-linux-x64.tar.*
XZ_OPT="-6 -T0" tar -C "$stage" -cJf "$archive" weir
say "bastion archive: $archive ($(du -h "$archive" | cut -f1))"

# ---------------------------------------------------------------------------------------------
# The desktop console: its app image (which also holds the whole `weir` command) and a .deb
# ---------------------------------------------------------------------------------------------
[ -f "$desktop/weir-desktop.jar" ] && [ -d "$desktop/lib" ] || fail "$desktop/weir-desktop.jar or its lib/ is missing; build app-javafx first (./build)"
# jdk.jsobject, jdk.xml.dom: JavaFX's; jdk.unsupported: its Unsafe; the rest as for the terminal
desktop_modules=$(modules_for weir-desktop "$desktop/weir-desktop.jar" "$desktop/lib" \
  "jdk.crypto.ec,jdk.zipfs,jdk.charsets,jdk.unsupported,jdk.jsobject,jdk.xml.dom")
say "desktop runtime: $desktop_modules"
runtime "$out/runtime-desktop" "$desktop_modules"

input="$out/input-desktop"
rm -rf "$input" "$out/weir-desktop"
mkdir -p "$input/lib"
cp "$desktop/weir-desktop.jar" "$input/"
stored_jars "$desktop/lib" "$input/lib"
# the second launcher, `weir`: the same program's command line (weir-desktop opens the window)
cat >"$out/weir-cli.properties" <<PROPS
main-class=dev.weir.tui.launch.Main
description=Weir's command line and terminal console
java-options=-XX:+UseSerialGC -XX:AOTCacheOutput=\$APPDIR/weir.aot -XX:-AOTClassLinking -Xlog:aot=off,cds=off --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Dorg.slf4j.simpleLogger.defaultLogLevel=warn
PROPS
"$jdk/bin/jpackage" --type app-image --name weir-desktop --dest "$out" \
  --input "$input" --main-jar weir-desktop.jar --main-class dev.weir.desktop.launch.DesktopMain \
  --runtime-image "$out/runtime-desktop" --app-version "$version" \
  --description "Weir: GitOps and progressive delivery, the desktop console" \
  --vendor "Weir" --icon "$root/packaging/src/icons/weir.png" \
  --add-launcher weir="$out/weir-cli.properties" \
  --java-options "-XX:AOTCacheOutput=\$APPDIR/weir-desktop.aot" \
  --java-options "-XX:-AOTClassLinking" \
  --java-options "-Xlog:aot=off,cds=off" \
  --java-options "--enable-native-access=ALL-UNNAMED" \
  --java-options "--sun-misc-unsafe-memory-access=allow" \
  --java-options "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"
[ -x "$out/weir-desktop/bin/weir-desktop" ] && [ -x "$out/weir-desktop/bin/weir" ] \
  || fail "jpackage made no $out/weir-desktop/bin/weir-desktop and bin/weir"
script_launcher "$out/weir-desktop" weir
script_launcher "$out/weir-desktop" weir-desktop
train "$out/weir-desktop" weir weir.aot storefront tui
say "desktop image's terminal AOT cache: $(du -h "$out/weir-desktop/lib/app/weir.aot" | cut -f1)"
# the window's cache: a run under a display (Xvfb) that quits once the applications are shown
if command -v xvfb-run >/dev/null; then
  train_desktop() {
    local home rc=0
    home=$(mktemp -d)
    HOME="$home" XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" \
      WEIR_DESKTOP_QUIT_WHEN_SHOWN=storefront timeout 300 \
      xvfb-run -a "$out/weir-desktop/bin/weir-desktop" >"$home/log" 2>&1 || rc=$?
    if [ "$rc" -ne 0 ]; then
      # a run that never reached the window (no GTK, say) records a cache of the JDK's classes
      # only: worse than none, as it is checked at every start for nothing
      rm -f "$out/weir-desktop/lib/app/weir-desktop.aot"
      say "the desktop's training run failed (exit $rc): $(grep -v '^Picked up\|WARNING' "$home/log" | tail -n 1)"
    fi
    rm -rf "$home"
    if [ -f "$out/weir-desktop/lib/app/weir-desktop.aot" ]; then
      sed -i "s|-XX:AOTCacheOutput=|-XX:AOTCache=|" "$out/weir-desktop/lib/app/weir-desktop.cfg"
      script_launcher "$out/weir-desktop" weir-desktop
      say "desktop AOT cache: $(du -h "$out/weir-desktop/lib/app/weir-desktop.aot" | cut -f1)"
    else
      sed -i "/-XX:AOTCacheOutput=/d" "$out/weir-desktop/lib/app/weir-desktop.cfg"
      script_launcher "$out/weir-desktop" weir-desktop
      say "the desktop's training run wrote no AOT cache; the window starts without one"
    fi
  }
  train_desktop
else
  sed -i "/-XX:AOTCacheOutput=/d" "$out/weir-desktop/lib/app/weir-desktop.cfg"
  script_launcher "$out/weir-desktop" weir-desktop
  say "no xvfb-run: the desktop window's AOT cache is not trained (apt-get install xvfb xauth)"
fi

# The .deb: the desktop image under /opt/weir-desktop, a menu entry with the icon, and `weir` on
# PATH (/usr/bin/weir, a link made by the package's scripts). An .rpm where rpmbuild exists.
# Both name GTK 3: JavaFX loads it at run time from its own native libraries, which are inside
# its jars, so jpackage's scan of the image cannot find it (without it: "Unable to load glass GTK
# library"; libgtk-3-0t64 is its name from Debian 13 and Ubuntu 24.04).
resources="$out/deb-resources"
rm -rf "$resources"
mkdir -p "$resources"
cp "$root/packaging/src/deb/postinst" "$root/packaging/src/deb/prerm" "$resources/"
rm -f "$out"/weir-desktop_*.deb "$out"/weir-desktop-*.rpm
"$jdk/bin/jpackage" --type deb --app-image "$out/weir-desktop" --name weir-desktop --dest "$out" \
  --app-version "$version" --description "Weir: GitOps and progressive delivery, the desktop console" \
  --vendor "Weir" --icon "$root/packaging/src/icons/weir.png" --resource-dir "$resources" \
  --linux-shortcut --linux-menu-group "Development;System" --linux-app-category devel \
  --linux-deb-maintainer "weir@weir.dev" --about-url "https://weir.dev" \
  --linux-package-deps "libgtk-3-0 | libgtk-3-0t64"
deb=$(ls "$out"/weir-desktop_*.deb)
say "desktop package: $deb ($(du -h "$deb" | cut -f1))"
if command -v rpmbuild >/dev/null; then
  rpm_resources="$out/rpm-resources"
  rm -rf "$rpm_resources"
  mkdir -p "$rpm_resources"
  cp "$root/packaging/src/rpm/weir-desktop.spec" "$rpm_resources/"
  "$jdk/bin/jpackage" --type rpm --app-image "$out/weir-desktop" --name weir-desktop --dest "$out" \
    --app-version "$version" --description "Weir: GitOps and progressive delivery, the desktop console" \
    --vendor "Weir" --icon "$root/packaging/src/icons/weir.png" --resource-dir "$rpm_resources" \
    --linux-shortcut --linux-menu-group "Development;System" --linux-app-category devel \
    --linux-rpm-license-type "Proprietary" --about-url "https://weir.dev" \
    --linux-package-deps "gtk3"
  rpm=$(ls "$out"/weir-desktop-*.rpm)
  say "desktop package: $rpm ($(du -h "$rpm" | cut -f1))"
else
  say "no rpmbuild: no .rpm (apt-get install rpm to build one)"
fi
