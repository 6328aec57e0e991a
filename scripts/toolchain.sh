# Sourced by the other scripts: finds (and with `ensure_*`, installs) the tools the build needs.
# Prefers rustup's wasm32 target; falls back to Debian's rustc-web + build-std (see README).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
die() { printf '\033[31m[error]\033[0m %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root (or sudo) to run: $*"; fi
}

APT_UPDATED=""
apt_install() {
  say "installing Debian packages: $* (apt-get; this can take a few minutes)"
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq || die "apt-get update failed"; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null || die "apt-get install $* failed"
}

debian_wasm_ready() {
  [ -x /usr/bin/rustc ] && [ -d /usr/lib/rustlib/src/rust/library ] && [ -e /usr/bin/rust-lld ] && [ -x /usr/bin/cargo ]
}

# Sets WASM_MODE to "rustup" or "debian", installing the wasm32 toolchain if neither is ready.
ensure_wasm_toolchain() {
  if command -v rustup >/dev/null && rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
    WASM_MODE=rustup
  elif debian_wasm_ready; then
    WASM_MODE=debian
  else
    say "adding the wasm32 target with rustup (gives up after 45 s where it cannot download)"
    if command -v rustup >/dev/null && timeout 45 rustup target add wasm32-unknown-unknown >/dev/null 2>&1; then
      WASM_MODE=rustup
    else
      say "rustup cannot add wasm32 here: using Debian's rustc-web with the standard library built from source"
      apt_install rustc-web cargo-web rust-web-src lld-22
      debian_wasm_ready || die "Debian's rustc-web toolchain is incomplete after installing it"
      WASM_MODE=debian
    fi
  fi
  export WASM_MODE
}

# Runs cargo for the wasm32 target with the chosen toolchain: wasm_cargo <subcommand> [args...]
wasm_cargo() {
  local sub="$1"; shift
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=+simd128,+bulk-memory,+nontrapping-fptoint,+sign-ext"
  if [ "$WASM_MODE" = rustup ]; then
    CARGO_TARGET_DIR="$ROOT/target/wasm" cargo "$sub" --target wasm32-unknown-unknown "$@"
  else
    RUSTC_BOOTSTRAP=1 RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc CARGO_TARGET_DIR="$ROOT/target/wasm" \
      /usr/bin/cargo "$sub" --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort "$@"
  fi
}

host_cargo() {
  if command -v cargo >/dev/null; then echo cargo; else echo /usr/bin/cargo; fi
}

locked_wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_wasm_bindgen() {
  local want; want="$(locked_wasm_bindgen_version)"
  [ -n "$want" ] || die "no wasm-bindgen version in Cargo.lock"
  if command -v wasm-bindgen >/dev/null && [ "$(wasm-bindgen --version | awk '{print $2}')" = "$want" ] \
     && command -v wasm-bindgen-test-runner >/dev/null; then
    return
  fi
  say "installing wasm-bindgen-cli $want (matches Cargo.lock; about 4 minutes on 2 cores)"
  "$(host_cargo)" install -q wasm-bindgen-cli --version "$want" || die "cargo install wasm-bindgen-cli $want failed"
}

ensure_npm_packages() {
  # Every locked package present at its version (an interrupted `npm ci` leaves some out).
  local missing
  if ! missing="$(node "$ROOT/scripts/node-modules-complete.mjs")" || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
    say "installing npm dev dependencies (npm ci)${missing:+: $missing}"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed"
  fi
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    apt_install chromium chromium-driver
  fi
  export CHROMIUM=/usr/bin/chromium CHROMEDRIVER=/usr/bin/chromedriver
}

# Debian's Firefox ESR and geckodriver (from crates.io, pinned) for the Firefox test runs.
GECKODRIVER_VERSION=0.37.1
ensure_firefox() {
  [ -x /usr/bin/firefox-esr ] || apt_install firefox-esr
  if ! command -v geckodriver >/dev/null || [ "$(geckodriver --version | awk 'NR==1 {print $2}')" != "$GECKODRIVER_VERSION" ]; then
    say "installing geckodriver $GECKODRIVER_VERSION from crates.io (a few minutes on 2 cores)"
    "$(host_cargo)" install -q geckodriver --version "$GECKODRIVER_VERSION" || die "cargo install geckodriver failed"
  fi
  export FIREFOX=/usr/bin/firefox-esr GECKODRIVER_PATH="$(command -v geckodriver)"
}

# Debian's WebKitGTK WebDriver and Xvfb (it needs a display) for the WebKit test run.
ensure_webkit() {
  if [ ! -x /usr/bin/WebKitWebDriver ] || ! command -v xvfb-run >/dev/null; then
    apt_install webkit2gtk-driver xvfb xauth
  fi
  export WEBKIT_DRIVER=/usr/bin/WebKitWebDriver
}
