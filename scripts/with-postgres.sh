#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster in a temporary directory, runs the given command with
# METOD_PG_URL set to it, then stops and removes the cluster. As root, the cluster runs as an
# unprivileged user. Exits 3 when PostgreSQL cannot be started (nothing was run then).
#
#   scripts/with-postgres.sh cargo run --release --bin metod -- bench store --db '$METOD_PG_URL'
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 <command> [args…]" >&2
  exit 2
fi

fail() { echo "with-postgres: $*" >&2; exit 3; }

bindir=""
if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
  bindir=$(pg_config --bindir)
else
  for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$candidate/initdb" ]; then bindir=$candidate; break; fi
  done
fi
[ -n "$bindir" ] || fail "PostgreSQL server binaries (initdb, pg_ctl) not found; install Debian's postgresql package"

workdir=$(mktemp -d "${TMPDIR:-/tmp}/metod-pg.XXXXXX")
chmod 755 "$workdir"
run_as=()
if [ "$(id -u)" -eq 0 ]; then
  # PostgreSQL refuses to run as root: use an unprivileged account.
  if ! id metod-pg >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin metod-pg 2>/dev/null \
      || fail "cannot create the unprivileged user metod-pg to run PostgreSQL"
  fi
  chown metod-pg "$workdir"
  run_as=(runuser -u metod-pg --)
fi

cleanup() {
  "${run_as[@]}" "$bindir/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap cleanup EXIT

"${run_as[@]}" "$bindir/initdb" -D "$workdir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
  >"$workdir/initdb.log" 2>&1 || { cat "$workdir/initdb.log" >&2; fail "initdb failed"; }

started=""
for attempt in 1 2 3 4 5; do
  port=$(( 20000 + (RANDOM % 20000) ))
  if "${run_as[@]}" "$bindir/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w -t 60 \
      -o "-p $port -k $workdir -c listen_addresses=127.0.0.1 -c max_connections=400 -c shared_buffers=256MB" \
      start >/dev/null 2>&1; then
    started=yes; break
  fi
done
[ -n "$started" ] || { cat "$workdir/server.log" >&2 || true; fail "pg_ctl could not start the cluster"; }

export METOD_PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') at $METOD_PG_URL (in $workdir)" >&2
set +e
"$@"
status=$?
set -e
exit $status
