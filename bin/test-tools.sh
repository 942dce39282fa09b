# Sourced by ./build test and .ci/run: makes sure the programs the tests run for real are installed.
# Installs what is missing from Debian's packages when running as root (or with sudo); otherwise
# names what to install and fails at once, rather than letting tests fail one by one.

weir_test_tools() {
  local -a need=()
  command -v git >/dev/null || need+=(git)
  command -v tmux >/dev/null || need+=(tmux)
  command -v ssh-agent >/dev/null || need+=(openssh-client)
  # The packages: xz for the bastion archive, fakeroot and dpkg-dev for jpackage's .deb
  command -v xz >/dev/null || need+=(xz-utils)
  command -v fakeroot >/dev/null || need+=(fakeroot)
  command -v dpkg-shlibdeps >/dev/null || need+=(dpkg-dev)
  command -v rpmbuild >/dev/null || need+=(rpm) # jpackage's .rpm
  command -v python3 >/dev/null || need+=(python3)
  # A real Prometheus and Pushgateway for the analysis and telemetry ITs.
  command -v prometheus >/dev/null || need+=(prometheus)
  command -v prometheus-pushgateway >/dev/null || need+=(prometheus-pushgateway)
  local have_kubectl=1
  command -v kubectl >/dev/null || have_kubectl=0
  [ ${#need[@]} -eq 0 ] && [ $have_kubectl -eq 1 ] && return 0

  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
      echo "weir: the tests need: ${need[*]} $([ $have_kubectl -eq 0 ] && echo kubectl); install them (apt-get install --no-install-recommends …) and run again" >&2
      return 1
    fi
  fi
  echo "weir: installing what the tests need: ${need[*]} $([ $have_kubectl -eq 0 ] && echo kubectl)" >&2
  $sudo apt-get update -qq
  if [ ${#need[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
  if [ $have_kubectl -eq 0 ]; then
    # Debian's kubernetes-client conflicts with a preinstalled kubectl; unpack it beside instead.
    local tmp
    tmp=$(mktemp -d)
    (cd "$tmp" && apt-get download -qq kubernetes-client && dpkg-deb -x kubernetes-client_*.deb root)
    $sudo install -m 0755 "$tmp/root/usr/bin/kubectl" /usr/local/bin/kubectl
    rm -rf "$tmp"
  fi
}
