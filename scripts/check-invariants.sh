#!/usr/bin/env bash
# The architecture invariants of DESIGN.md §1, checked on the real dependency graph:
#   domain is pure and synchronous; only store knows SQL; only server knows the terminal and
#   only server and api know HTTP (app, the use cases both share, knows neither);
#   projections never issue commands; workflows reach the store's writers only via commands
#   (by its dependencies and by the calls in its source);
#   nothing depends on server.
set -euo pipefail
cd "$(dirname "$0")/.."

failures=0
fail() { echo "invariant broken: $*" >&2; failures=$((failures + 1)); }

# Direct normal dependencies of a workspace crate, one name per line.
direct() { cargo tree -p "$1" -e normal --depth 1 --prefix none --locked | tail -n +2 | awk '{print $1}' | sort -u; }
# Every normal dependency of a crate, transitively.
all() { cargo tree -p "$1" -e normal --prefix none --locked | awk '{print $1}' | sort -u; }

workspace=(domain store commands workflows projections demo app server tests tlog audit api)
# Workspace crates each crate may use (DESIGN.md §1).
declare -A allowed=(
  [domain]=""
  [store]="tlog"
  [commands]="domain store"
  [workflows]="domain store commands"
  [projections]="domain store"
  [demo]="domain store commands workflows"
  [app]="domain store commands workflows projections demo tlog audit"
  [server]="domain store commands workflows projections demo app tlog audit api"
  [tests]="domain store commands workflows projections demo app tlog"
  [tlog]=""
  [audit]="tlog"
  [api]="domain store commands workflows projections app audit"
)

for crate in "${workspace[@]}"; do
  deps=$(direct "$crate")
  for dep in "${workspace[@]}"; do
    if grep -qx "$dep" <<<"$deps" && ! grep -qw "$dep" <<<"${allowed[$crate]}"; then
      fail "$crate depends on $dep"
    fi
  done
  if [ "$crate" != store ] && [ "$crate" != tests ] && grep -qx sqlx <<<"$deps"; then
    fail "$crate uses sqlx directly: only store knows SQL"
  fi
  if [ "$crate" != server ] && [ "$crate" != api ]; then
    for ui in clap axum hyper reqwest indicatif; do
      grep -qx "$ui" <<<"$(all "$crate")" && fail "$crate pulls in $ui: only server knows the terminal, only server and api HTTP"
    done
  fi
  if [ "$crate" = api ]; then
    for ui in clap indicatif; do
      grep -qx "$ui" <<<"$(all "$crate")" && fail "api pulls in $ui: only server knows the terminal"
    done
  fi
done

domain_all=$(all domain)
for impure in sqlx tokio async-trait futures; do
  grep -qx "$impure" <<<"$domain_all" && fail "domain pulls in $impure: it must stay pure and synchronous"
done

dependents=$(cargo tree -i server -e normal --prefix none --workspace --locked 2>/dev/null | awk '{print $1}' | sort -u | grep -vx server || true)
[ -z "$dependents" ] || fail "something depends on server: $dependents"

# workflows reach the log's writers only through commands (ARCHITECTURE.md): its reactions and
# timers are commands handled by `commands`, and its refusals are appended by
# `CommandHandler::record_note`. No call of a store writer (an append, the vault's key writes,
# the read models' writes) appears in its source; saving its own checkpoint is its bookkeeping.
writers='\.(append|append_batch|create_key|shred|seal|commit_facts|clear_facts)\('
if found=$(grep -rnE "$writers" workflows/src); then
  fail "workflows calls a store writer directly instead of through commands: $found"
fi
grep -qx commands <<<"$(direct workflows)" || fail "workflows does not reach the store through commands"

# Inside the crates (ARCHITECTURE.md): no import circle between the modules of any crate, and
# no function in domain longer than about 150 lines.
python3 scripts/check-structure.py || fail "the structure inside the crates (scripts/check-structure.py)"

if [ "$failures" -gt 0 ]; then
  echo "check-invariants: $failures invariant(s) broken" >&2
  exit 1
fi
echo "check-invariants: ok"
