# Shared by .ci/start, .ci/test and .ci/bench: find or install what the hub needs.
# Sourced, not run. Every step is skipped when its tool is already there at the right version.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

# cargo-leptos 0.3.10 is the newest release that builds on rustc 1.95.
CARGO_LEPTOS_VERSION=0.3.10

say() { printf '\n\033[1;32m==> %s\033[0m\n' "$*"; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }

# Debian packages: installed when running as root, otherwise named in a clear message.
ensure_debian_packages() {
  local missing=()
  for spec in "$@"; do
    local cmd=${spec%%:*} pkg=${spec##*:}
    command -v "$cmd" >/dev/null 2>&1 || [ -x "$cmd" ] || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if is_root && command -v apt-get >/dev/null; then
    say "Installing Debian packages: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    die "missing: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}"
  fi
}

ensure_rust() {
  command -v cargo >/dev/null || die "Rust is missing: install it from https://rustup.rs"
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "Adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  command -v npm >/dev/null || ensure_debian_packages npm:npm
}

ensure_cargo_leptos() {
  if ! cargo leptos --version 2>/dev/null | grep -qx "cargo-leptos $CARGO_LEPTOS_VERSION"; then
    say "Installing cargo-leptos $CARGO_LEPTOS_VERSION (about 20 CPU-minutes, once)"
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
  fi
}

# wasm-bindgen-cli must be exactly the version of the wasm-bindgen crate in Cargo.lock.
ensure_wasm_bindgen() {
  local version
  version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
  [ -n "$version" ] || die "wasm-bindgen is not in Cargo.lock"
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $version" ]; then
    say "Installing wasm-bindgen-cli $version (the version Cargo.lock uses)"
    cargo install wasm-bindgen-cli --version "$version"
  fi
}

# Playwright and binaryen's wasm-opt (Debian's binaryen 108 breaks hydration) come from npm.
ensure_npm_packages() {
  if [ ! -f end2end/node_modules/.package-lock.json ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    say "Installing the npm packages (Playwright, binaryen)"
    (cd end2end && npm ci --no-audit --no-fund --loglevel=error)
  fi
  export PATH="$ROOT/end2end/node_modules/.bin:$PATH"
}

# cargo-leptos builds the server with these variables set, and Leptos reads some of them at
# compile time. Plain `cargo` (tests, clippy) gets the same ones so it reuses that build.
leptos_build_env() {
  export LEPTOS_OUTPUT_NAME=coopole LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg \
    LEPTOS_SITE_ADDR=127.0.0.1:3000 LEPTOS_RELOAD_PORT=3001 LEPTOS_LIB_DIR=app LEPTOS_BIN_DIR=server \
    LEPTOS_JS_MINIFY=true LEPTOS_HASH_FILES=false
}

target_dir() {
  cargo metadata --format-version 1 --no-deps | grep -o '"target_directory":"[^"]*"' | cut -d'"' -f4
}

build_release() {
  say "Building the hub (release: server and WebAssembly)"
  cargo leptos build --release
  SERVER_BIN="$(target_dir)/release/coopole-server"
  SITE_ROOT="$ROOT/target/site"
  [ -x "$SERVER_BIN" ] || die "the build produced no $SERVER_BIN"
  [ -f "$SITE_ROOT/pkg/coopole.wasm" ] || die "the build produced no $SITE_ROOT/pkg/coopole.wasm"
  # Compressed once here, at the best ratios, for the server to send as they are.
  if command -v brotli >/dev/null; then
    brotli -f -k -q 11 "$SITE_ROOT"/pkg/coopole.{wasm,js,css}
  fi
  gzip -f -k -9 "$SITE_ROOT"/pkg/coopole.{wasm,js,css}
}

# The browser's downloads: the WebAssembly, its JavaScript glue and the style sheet, raw,
# gzip -9 and brotli -q 11 (what a server's best static compression sends).
FRONT_BUDGET_BROTLI=$((200 * 1024))
front_sizes() {
  local f
  printf '%-14s %10s %10s %10s\n' file raw gzip brotli
  for f in coopole.wasm coopole.js coopole.css; do
    printf '%-14s %10s %10s %10s\n' "$f" "$(wc -c <"$SITE_ROOT/pkg/$f")" \
      "$(gzip -c -9 "$SITE_ROOT/pkg/$f" | wc -c)" "$(brotli -c -q 11 "$SITE_ROOT/pkg/$f" | wc -c)"
  done
}

# Fails when the release WebAssembly outgrows its budget (a size, so the check is stable).
check_front_budget() {
  local wasm
  wasm=$(brotli -c -q 11 "$SITE_ROOT/pkg/coopole.wasm" | wc -c)
  front_sizes
  [ "$wasm" -le "$FRONT_BUDGET_BROTLI" ] ||
    die "the WebAssembly is $wasm bytes with brotli, over its budget of $FRONT_BUDGET_BROTLI"
  echo "WebAssembly: $wasm bytes with brotli, within the budget of $FRONT_BUDGET_BROTLI"
}

# Every invoice and credit note of the demo run, checked by the official EN 16931 rules
# (../shared/validation/en16931/validate-cii) and by the PyPI package factur-x (its XSD, and
# where the PDF carries the XML and says so), in a virtual environment kept with the build.
check_einvoices() {
  local work venv validator="$ROOT/../shared/validation/en16931/validate-cii"
  [ -x "$validator" ] || die "missing $validator"
  work=$(mktemp -d)
  venv="$(target_dir)/facturx-venv"
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import facturx' 2>/dev/null; then
    say "Installing factur-x (PyPI) in $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'factur-x==3.*'
  fi
  DATABASE_URL="sqlite://$work/demo.db?mode=rwc" COOPOLE_LOG=warn "$SERVER_BIN" seed --demo >/dev/null
  DATABASE_URL="sqlite://$work/demo.db?mode=rwc" COOPOLE_LOG=warn "$SERVER_BIN" export factur-x "$work/out"
  ls "$work"/out/AV-*.xml >/dev/null 2>&1 || die "the demo run has no credit note to check"
  local report
  if ! report=$("$validator" "$work"/out/*.xml); then
    printf '%s\n' "$report" | grep -v ': valid (EN 16931, CII)$'
    die "an e-invoice fails the EN 16931 rules (above)"
  fi
  # Warnings do not fail the rules; they are shown.
  printf '%s\n' "$report" | grep -v ': valid (EN 16931, CII)$' || true
  echo "EN 16931: all $(ls "$work"/out/*.xml | wc -l) XML documents pass"
  "$venv/bin/python" "$ROOT/.ci/facturx_check.py" "$work"/out/*.pdf
  rm -rf "$work"
}

# A throwaway PostgreSQL cluster on loopback, removed on exit. With "durable", it keeps
# PostgreSQL's default durability (for benchmarks); otherwise fsync is off (for tests).
start_postgres() {
  local settings="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${1:-}" = durable ] && settings=
  local pgbin
  pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$pgbin" ] || die "PostgreSQL is missing: sudo apt-get install postgresql"
  PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/coopole-pg.XXXXXX")
  local as=()
  if is_root; then
    chown postgres "$PG_DIR"
    as=(runuser -u postgres --)
  fi
  PG_PORT=$(( 20000 + RANDOM % 20000 ))
  "${as[@]}" "$pgbin/initdb" -D "$PG_DIR/data" -U coopole --auth=trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log"; die "initdb failed"; }
  "${as[@]}" "$pgbin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-k $PG_DIR -p $PG_PORT -c listen_addresses=127.0.0.1 -c max_connections=300 $settings" \
    start >/dev/null || { cat "$PG_DIR/server.log"; die "PostgreSQL did not start"; }
  PG_CTL=("${as[@]}" "$pgbin/pg_ctl" -D "$PG_DIR/data")
  trap stop_postgres EXIT
  export TEST_DATABASE_URL="postgres://coopole@127.0.0.1:$PG_PORT/postgres"
}

stop_postgres() {
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR" ]; then
    "${PG_CTL[@]}" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}
