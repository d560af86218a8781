#!/usr/bin/env bash
# One idempotent set-up step for `npm test` and `npm run demo`: installs only what is
# missing and says what it does.
#   1. Debian packages (PyTorch for the trainer, Chromium for the browser/UI suites,
#      compilers and headers for code-server's native modules)
#   2. npm dependencies (npm ci / npm install when node_modules is missing or stale)
#   3. code-server (a headless VS Code workbench for the host and UI suites), built offline
#      into .cache/code-server-<version>
# Usage: bash scripts/setup.sh [--check]   (--check only reports what is missing)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CODE_SERVER_VERSION="4.100.3"
CODE_SERVER_DIR="$ROOT/.cache/code-server-$CODE_SERVER_VERSION"
CODE_SERVER_STAMP="$CODE_SERVER_DIR/.grpo-lens-complete"
NPM_STAMP="$ROOT/node_modules/.grpo-lens-setup"
APT_PACKAGES=(
  python3 python3-torch python3-pytest python3-numpy python3-onnx flake8
  chromium ripgrep libkrb5-dev g++ make pkg-config
)
# The launcher's Slurm tests start a one-node cluster on this machine (test/unit/launch/slurmCluster.ts).
APT_PACKAGES+=(slurm-wlm munge)
CHECK_ONLY=0
[[ "${1:-}" == "--check" ]] && CHECK_ONLY=1

say() { printf '[setup] %s\n' "$*"; }
fail() {
  printf '[setup] ERROR: %s\n' "$*" >&2
  exit 1
}
trap 'rc=$?; [[ $rc -ne 0 ]] && printf "[setup] ERROR: set-up failed (exit %s) at line %s: %s\n" "$rc" "$LINENO" "$BASH_COMMAND" >&2' ERR

export DEBIAN_FRONTEND=noninteractive
export ONNXRUNTIME_NODE_INSTALL=skip
export npm_config_update_notifier=false
export npm_config_fund=false
export npm_config_audit=false

# ---------------------------------------------------------------- 0. node itself
command -v node >/dev/null || fail "node is not installed. Install Node.js 20 first: apt-get install -y nodejs npm"
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
[[ "$NODE_MAJOR" -ge 20 ]] || fail "Node.js $(node --version) is too old; GRPO Lens needs Node.js 20 or newer."
[[ -f /usr/include/node/node.h ]] || APT_PACKAGES+=(libnode-dev)

# ---------------------------------------------------------------- 1. Debian packages
missing_apt_packages() {
  local pkg status
  for pkg in "${APT_PACKAGES[@]}"; do
    status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
    [[ "$status" == "install ok installed" ]] || printf '%s\n' "$pkg"
  done
}

as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    return 99
  fi
}

install_apt_packages() {
  command -v dpkg-query >/dev/null || fail "this is not a Debian/Ubuntu system (no dpkg-query). Install by hand: ${APT_PACKAGES[*]}"
  local missing
  mapfile -t missing < <(missing_apt_packages)
  if [[ ${#missing[@]} -eq 0 ]]; then
    say "Debian packages: all ${#APT_PACKAGES[@]} present (${APT_PACKAGES[*]})"
    return
  fi
  say "Debian packages missing: ${missing[*]}"
  if [[ $CHECK_ONLY -eq 1 ]]; then return; fi
  local cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
  command -v apt-get >/dev/null || fail "apt-get is not available. Install these packages by hand: ${missing[*]}"
  if ! as_root true 2>/dev/null; then
    fail "installing Debian packages needs root. Run this once, then run the command again:
    sudo sh -c '$cmd'"
  fi
  say "running: apt-get update"
  as_root apt-get -o DPkg::Lock::Timeout=600 update -q || fail "apt-get update failed. Run by hand: sudo sh -c '$cmd'"
  say "running: apt-get install -y --no-install-recommends ${missing[*]}"
  as_root apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}" ||
    fail "apt-get install failed. Run by hand: sudo sh -c '$cmd'"
  mapfile -t missing < <(missing_apt_packages)
  [[ ${#missing[@]} -eq 0 ]] || fail "still missing after apt-get install: ${missing[*]}"
}

# ---------------------------------------------------------------- 2. npm dependencies
# What decides node_modules: the lock file and the dependency fields of package.json
# (editing "contributes" must not trigger an install).
lock_hash() {
  node -e '
    const fs = require("fs"), crypto = require("crypto");
    const pkg = JSON.parse(fs.readFileSync(process.argv[1] + "/package.json", "utf8"));
    const deps = JSON.stringify([pkg.dependencies, pkg.devDependencies, pkg.optionalDependencies, pkg.overrides]);
    const lock = fs.readFileSync(process.argv[1] + "/package-lock.json");
    console.log(crypto.createHash("sha256").update(deps).update(lock).digest("hex"));
  ' "$ROOT"
}

install_npm_deps() {
  [[ -f "$ROOT/package-lock.json" ]] || fail "package-lock.json is missing; run npm install once and commit it."
  local want have=""
  want="$(lock_hash)"
  [[ -f "$NPM_STAMP" ]] && have="$(cat "$NPM_STAMP")"
  if [[ -d "$ROOT/node_modules" && "$have" == "$want" ]]; then
    say "npm dependencies: up to date with package-lock.json"
    return
  fi
  # A node_modules that npm itself wrote after the last lock change is also up to date
  # (a developer ran npm install by hand); only the stamp is missing.
  if [[ -f "$ROOT/node_modules/.package-lock.json" && -z "$have" ]] &&
    [[ ! "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]] &&
    (cd "$ROOT" && npm ls --depth=0 >/dev/null 2>&1); then
    say "npm dependencies: present and consistent with package-lock.json"
    [[ $CHECK_ONLY -eq 1 ]] || echo "$want" >"$NPM_STAMP"
    return
  fi
  if [[ $CHECK_ONLY -eq 1 ]]; then
    say "npm dependencies: missing or stale (would run npm ci / npm install)"
    return
  fi
  cd "$ROOT"
  if [[ ! -d node_modules ]]; then
    say "npm dependencies: node_modules missing; running: npm ci (ONNXRUNTIME_NODE_INSTALL=skip)"
    npm ci --no-audit --no-fund || fail "npm ci failed. Check the npm registry is reachable, then run: npm ci"
  else
    say "npm dependencies: stale vs package-lock.json; running: npm install (ONNXRUNTIME_NODE_INSTALL=skip)"
    npm install --no-audit --no-fund || fail "npm install failed. Run by hand: cd $ROOT && npm install"
  fi
  lock_hash >"$NPM_STAMP"
}

# ---------------------------------------------------------------- 3. code-server
gyp() { node "$NODE_GYP" rebuild --nodedir=/usr "$@"; }

find_node_gyp() {
  local npm_root
  npm_root="$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js"
  for candidate in "$npm_root" /usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js \
    /usr/share/nodejs/node-gyp/bin/node-gyp.js /usr/local/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js; do
    if [[ -f "$candidate" ]]; then
      NODE_GYP="$candidate"
      return
    fi
  done
  fail "node-gyp was not found (it ships with npm). Install it: npm install -g node-gyp"
}

install_code_server() {
  if [[ -f "$CODE_SERVER_STAMP" ]]; then
    say "code-server $CODE_SERVER_VERSION: present in ${CODE_SERVER_DIR#"$ROOT"/}"
    return
  fi
  if [[ $CHECK_ONLY -eq 1 ]]; then
    say "code-server $CODE_SERVER_VERSION: missing (would build into ${CODE_SERVER_DIR#"$ROOT"/})"
    return
  fi
  say "code-server $CODE_SERVER_VERSION: installing into ${CODE_SERVER_DIR#"$ROOT"/} (offline build, about a minute)"
  find_node_gyp
  local work="$ROOT/.cache/code-server-build.$$"
  rm -rf "$work" "$CODE_SERVER_DIR"
  mkdir -p "$work"
  (
    set -euo pipefail
    # Native modules build against Debian's Node headers; nothing is downloaded.
    export npm_config_nodedir=/usr
    cd "$work"
    say "  npm pack code-server@$CODE_SERVER_VERSION"
    npm pack --silent "code-server@$CODE_SERVER_VERSION" >/dev/null
    tar -xzf "code-server-$CODE_SERVER_VERSION.tgz"
    cd package
    # Its own postinstall downloads ripgrep from the internet: install without scripts
    # and do the postinstall's work by hand below.
    say "  npm install --omit=dev --ignore-scripts (package root)"
    npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
    say "  npm install --omit=dev --ignore-scripts (lib/vscode)"
    (cd lib/vscode && npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
    say "  npm install --omit=dev --ignore-scripts (lib/vscode/extensions) + postinstall.mjs"
    (cd lib/vscode/extensions && npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null &&
      node postinstall.mjs >/dev/null)
    local mod
    for mod in kerberos node-pty native-watchdog @vscode/spdlog @vscode/deviceid; do
      say "  node-gyp rebuild lib/vscode/node_modules/$mod"
      (cd "lib/vscode/node_modules/$mod" && gyp >build.log 2>&1) || {
        tail -n 30 "lib/vscode/node_modules/$mod/build.log" >&2
        fail "building $mod failed (needs g++, make, python3, libkrb5-dev)"
      }
    done
    say "  node-pre-gyp install --build-from-source (argon2)"
    (cd node_modules/argon2 && PATH="$(dirname "$NODE_GYP"):$PATH" npx --no-install node-pre-gyp install \
      --build-from-source --nodedir=/usr >build.log 2>&1) || (cd node_modules/argon2 && gyp >build.log 2>&1) || {
      tail -n 30 node_modules/argon2/build.log >&2
      fail "building argon2 failed"
    }
    say "  linking /usr/bin/rg, node_modules.asar, remote-cli and browser helpers"
    mkdir -p lib/vscode/node_modules/@vscode/ripgrep/bin
    ln -sf /usr/bin/rg lib/vscode/node_modules/@vscode/ripgrep/bin/rg
    (cd lib/vscode && ln -sfn node_modules node_modules.asar)
    (cd lib/vscode/bin/remote-cli && ln -sf code-linux.sh code-server)
    (cd lib/vscode/bin/helpers && ln -sf browser-linux.sh browser.sh)
  )
  mv "$work/package" "$CODE_SERVER_DIR"
  rm -rf "$work"
  node "$CODE_SERVER_DIR/out/node/entry.js" --version >/dev/null ||
    fail "code-server was built but does not start: node $CODE_SERVER_DIR/out/node/entry.js --version"
  date -u +%FT%TZ >"$CODE_SERVER_STAMP"
  say "code-server $CODE_SERVER_VERSION: ready"
}

# ---------------------------------------------------------------- run
cd "$ROOT"
install_apt_packages
install_npm_deps
install_code_server
/usr/bin/python3 -c 'import torch' 2>/dev/null ||
  { [[ $CHECK_ONLY -eq 1 ]] || fail "/usr/bin/python3 cannot import torch. Run: sudo apt-get install -y python3-torch"; }
[[ -x /usr/bin/chromium ]] ||
  { [[ $CHECK_ONLY -eq 1 ]] || fail "/usr/bin/chromium is missing. Run: sudo apt-get install -y chromium"; }
say "done"
