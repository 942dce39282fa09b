#!/usr/bin/env bash
# Stages what the OCI image holds, for OciImage (dev.weir.packaging) to write as layers; run by the
# packaging profile after package.sh. Environment as package.sh's: WEIR_OUT (packaging/target,
# where package.sh left the app image weir/), and WEIR_DEB_CACHE (optional; default
# ~/.cache/weir/debs) where the Debian packages are downloaded once.
#
# Stages, under WEIR_OUT/image/:
#   rootfs/   the minimal root filesystem: Debian's libc6 (glibc and the dynamic loader, all the
#             runtime and the launcher link against: see `ldd`) and ca-certificates (the bundle
#             /etc/ssl/certs/ca-certificates.crt, built here as update-ca-certificates would),
#             /etc/passwd and /etc/group with the user nonroot (65532), /tmp and /home/nonroot.
#             No shell, no package manager, no coreutils.
#   runtime/  the jlink runtime of the app image (lib/runtime), a layer of its own: it changes
#             only with the JDK, not with Weir's jars
#   app/      the rest of the app image: the launcher bin/weir and Weir's jars, without the AOT
#             cache (trained against the host's paths, and 73 MB) and with a heap sized from the
#             container's memory limit
# Symbolic links are replaced by copies of their targets inside the root filesystem (Jib writes
# no links); libc6 has one, /lib64/ld-linux-x86-64.so.2.
set -euo pipefail

out="${WEIR_OUT:?}"
cache="${WEIR_DEB_CACHE:-$HOME/.cache/weir/debs}"
stage="$out/image"
say() { printf 'image: %s\n' "$*"; }
fail() { printf 'image: %s\n' "$*" >&2; exit 1; }

[ -x "$out/weir/bin/weir" ] || fail "$out/weir/bin/weir is missing: package.sh makes it first"
command -v dpkg-deb >/dev/null || fail "dpkg-deb is missing (apt-get install dpkg)"

# The Debian packages, downloaded once into the cache (the versions this machine's apt sources
# offer; a package already cached is reused as it is).
packages=(libc6 ca-certificates)
mkdir -p "$cache"
for package in "${packages[@]}"; do
  if ! ls "$cache/${package}"_*.deb >/dev/null 2>&1; then
    command -v apt-get >/dev/null || fail "no $package in $cache and no apt-get to download it"
    (cd "$cache" && apt-get download -qq "$package" 2>/dev/null) || fail "apt-get download $package failed"
  fi
done

rm -rf "$stage"
mkdir -p "$stage/rootfs" "$stage/runtime/opt/weir/lib" "$stage/app/opt/weir/lib"
rootfs="$stage/rootfs"
: >"$stage/packages.txt"
for package in "${packages[@]}"; do
  deb=$(ls "$cache/${package}"_*.deb | sort -V | tail -n1)
  dpkg-deb -x "$deb" "$rootfs"
  printf '%s %s\n' "$package" "$(dpkg-deb -f "$deb" Version)" >>"$stage/packages.txt"
done

# Only what runs: no iconv modules (Java has its own charsets), manuals, lintian overrides or
# libc's administration programs; the copyright files stay.
rm -rf "$rootfs/usr/lib/x86_64-linux-gnu/gconv" "$rootfs/usr/share/man" "$rootfs/usr/share/lintian" \
  "$rootfs/usr/sbin" "$rootfs/usr/bin" "$rootfs/sbin" "$rootfs/bin"
find "$rootfs/usr/share/doc" -type f ! -name copyright -delete
find "$rootfs/usr/share/doc" -type d -empty -delete

# The CA bundle, as update-ca-certificates builds it (the JVM keeps its own in lib/security/cacerts;
# the bundle is there for anything that reads the system's).
mkdir -p "$rootfs/etc/ssl/certs"
find "$rootfs/usr/share/ca-certificates" -name '*.crt' | sort | xargs cat >"$rootfs/etc/ssl/certs/ca-certificates.crt"
[ -s "$rootfs/etc/ssl/certs/ca-certificates.crt" ] || fail "no CA certificates in the ca-certificates package"

# Links inside the root filesystem become copies of their targets (resolved inside it).
while IFS= read -r link; do
  target=$(readlink "$link")
  case "$target" in
    /*) resolved="$rootfs$target" ;;
    *) resolved="$(dirname "$link")/$target" ;;
  esac
  [ -f "$resolved" ] || fail "the link $link points at $target, which is not in the root filesystem"
  rm "$link"
  cp -p "$resolved" "$link"
done < <(find "$rootfs" -type l)

# The user: nonroot, 65532, as distroless names it; a home and /tmp.
mkdir -p "$rootfs/etc" "$rootfs/tmp" "$rootfs/home/nonroot"
chmod 1777 "$rootfs/tmp"
cat >"$rootfs/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
PASSWD
cat >"$rootfs/etc/group" <<'GROUP'
root:x:0:
nonroot:x:65532:
GROUP
printf 'hosts: files dns\n' >"$rootfs/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n::1 localhost\n' >"$rootfs/etc/hosts"

# The runtime and the app, from package.sh's app image (its links, the legal notices, as copies)
cp -rL --preserve=mode,timestamps "$out/weir/lib/runtime" "$stage/runtime/opt/weir/lib/"
cp -rL --preserve=mode,timestamps "$out/weir/bin" "$stage/app/opt/weir/"
cp -rL --preserve=mode,timestamps "$out/weir/lib/app" "$out/weir/lib/libapplauncher.so" "$stage/app/opt/weir/lib/"
rm -f "$stage/app/opt/weir/lib/app/weir.aot" "$stage/app/opt/weir/lib/app/weir.aot.config"
# jpackage's own launcher, not the app image's shell script (decision 0047): the image has no shell
[ -x "$out/weir/lib/weir-launcher" ] || fail "$out/weir/lib/weir-launcher (jpackage's launcher) is missing"
cp --preserve=mode,timestamps "$out/weir/lib/weir-launcher" "$stage/app/opt/weir/bin/weir"
cfg="$stage/app/opt/weir/lib/app/weir.cfg"
# no AOT cache; the heap from the container's memory limit (the JVM reads the cgroup)
sed -i -e '/-XX:AOTCache/d' -e '/-XX:AOTCacheOutput/d' "$cfg"
sed -i 's|^java-options=-XX:+UseSerialGC$|java-options=-XX:+UseSerialGC\njava-options=-XX:MaxRAMPercentage=75|' "$cfg"
grep -q 'MaxRAMPercentage' "$cfg" || fail "the launcher's configuration was not rewritten"
if find "$stage/runtime" "$stage/app" -type l | grep -q .; then
  fail "links in the app image: $(find "$stage/runtime" "$stage/app" -type l | head -n3)"
fi

say "root filesystem $(du -sh "$rootfs" | cut -f1), runtime $(du -sh "$stage/runtime" | cut -f1), app $(du -sh "$stage/app" | cut -f1); $(paste -sd, "$stage/packages.txt")"
