# Shared by scripts/*: paths, messages, and how this machine builds wasm. Source it.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export ROOT
WASM_TARGET=wasm32-unknown-unknown

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

# Absolute paths of the Debian rustc-web toolchain (it is shadowed on PATH by rustup's proxies).
debian_rustc() { dpkg -L rustc-web 2>/dev/null | grep -m1 -E '/bin/rustc$'; }
debian_cargo() { dpkg -L cargo-web 2>/dev/null | grep -m1 -E '^/usr/bin/cargo$'; }
debian_wasm_ld() { command -v wasm-ld-22 2>/dev/null; }

# Whether each wasm route is installed: Debian's rustc-web + rust-web-src + lld-22, or rustup's
# wasm32 target.
debian_route_installed() {
  [ -n "$(debian_rustc)" ] && [ -n "$(debian_cargo)" ] && [ -n "$(debian_wasm_ld)" ] \
    && dpkg -s rust-web-src >/dev/null 2>&1
}
rustup_route_installed() {
  have rustup && rustup target list --installed 2>/dev/null | grep -qx "$WASM_TARGET"
}

# How wasm is built here: `debian` when that route is installed (it rebuilds std as MVP wasm
# with panic=immediate-abort: the smaller agent, and the route every committed measurement
# used), else `rustup`, else nothing (run scripts/setup). PAGEVITALS_WASM_ROUTE=rustup (or
# debian) asks for one route only.
wasm_route() {
  local route
  for route in ${PAGEVITALS_WASM_ROUTE:-debian rustup}; do
    case "$route" in
      debian | rustup) "${route}_route_installed" && echo "$route" && return 0 ;;
    esac
  done
  return 1
}

# The wasm-bindgen version Cargo.lock pins; wasm-bindgen-cli must match it exactly.
locked_wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

chromium_path() { command -v chromium 2>/dev/null || command -v chromium-browser 2>/dev/null; }
firefox_path() { command -v firefox-esr 2>/dev/null || command -v firefox 2>/dev/null; }

# Runs scripts/build unless dist/ is newer than every input of the build.
build_if_stale() {
  local stamp="$ROOT/dist/.built"
  # What the wasm build and dist/ are made from (not the bench crate, nor fuzz artifacts).
  local inputs=(crates/pagevitals-agent crates/pagevitals-core/src crates/pagevitals-core/Cargo.toml
    crates/pagevitals-engine/src crates/pagevitals-engine/Cargo.toml crates/pagevitals-popup/src
    crates/pagevitals-popup/Cargo.toml extension manifest.json headless/agent-entry.js
    Cargo.toml Cargo.lock package-lock.json scripts/build scripts/lib/sizes.mjs)
  if [ -f "$stamp" ] && [ -z "$(cd "$ROOT" && find "${inputs[@]}" -newer "$stamp" -print -quit 2>/dev/null)" ]; then
    return 0
  fi
  "$ROOT/scripts/build"
}
