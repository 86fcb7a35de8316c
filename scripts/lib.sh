# lib.sh - shared by scripts/demo, scripts/test and scripts/bench: install
# what is missing (Debian packages) and build.  Source it; do not run it.

FIHRIS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_PACKAGES="build-essential cmake pkg-config libxapian-dev xapian-tools libicu-dev
  libstemmer-dev libjansson-dev libxml2-dev libmicrohttpd-dev libmd4c-dev pandoc"
TEST_PACKAGES="python3 groff-base clang libclang-rt-dev curl chromium fonts-dejavu-core
  python3-dev python3-cffi python3-pytest python3-venv python3-setuptools python3-wheel
  python3-prometheus-client systemd"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root to install packages: run as root or install sudo"; fi
}

# Install the Debian packages given that are not installed yet.
ensure_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]}"
  as_root apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    >/dev/null || die "apt-get install ${missing[*]} failed"
}

# build DIR [cmake options...]: configure and build into DIR.
build() {
  local dir=$1; shift
  cmake -S "$FIHRIS_ROOT" -B "$dir" "$@" >/dev/null || die "cmake configure failed"
  cmake --build "$dir" -j "$(nproc)" >/dev/null || {
    cmake --build "$dir" -j1 2>&1 | grep -E 'error|Error' | head -20 >&2
    die "build failed"
  }
}
