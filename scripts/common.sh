# Shared by scripts/run, scripts/test and scripts/bench: install what is missing, build.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JOBS="${JOBS:-2}"

APT_PACKAGES=(build-essential cmake pkg-config ccache git
  libboost-dev libboost-system-dev libsqlite3-dev sqlite3 nlohmann-json3-dev libmstch-dev
  libsodium-dev libical-dev libhowardhinnant-date-dev tzdata libcurl4-openssl-dev
  libspdlog-dev libcli11-dev libgtest-dev libbenchmark-dev
  python3 python3-aiosmtpd python3-icalendar chromium wrk curl ca-certificates openssl
  libphonenumber-dev strace clang llvm libclang-rt-14-dev
  libzxcvbn-dev liboath-dev libqrencode-dev
  libssl-dev python3-websockets zlib1g-dev prometheus nginx-light coturn
  libxlsxwriter-dev python3-openpyxl libreoffice-calc-nogui
  libcairo2-dev libpango1.0-dev fonts-dejavu-core poppler-utils)

install_deps() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ! command -v npm >/dev/null 2>&1; then missing+=(nodejs npm); fi
  if ((${#missing[@]})); then
    echo "==> installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  # Front-end and browser-test packages, pinned by package-lock.json.
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "==> npm ci"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

build() {
  echo "==> building (-j$JOBS)"
  cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build build -j"$JOBS"
}

# build_variant DIR "TARGETS" CMAKE_ARGS...: another build folder of this tree (sanitizers,
# fuzzing), only the given targets (all when empty); says how long it took.
build_variant() {
  local dir="$1" targets="$2" start=$SECONDS
  shift 2
  echo "==> building $dir (-j$JOBS) ${targets:+targets: $targets}"
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  # shellcheck disable=SC2086 # targets is a list
  cmake --build "$dir" -j"$JOBS" ${targets:+--target $targets}
  echo "==> $dir built in $((SECONDS - start)) s"
}
