#!/usr/bin/env bash
# The whole test suite, on SQLite and on PostgreSQL. Starts a throwaway PostgreSQL cluster
# itself (scripts/with-postgres.sh). Where PostgreSQL cannot be started it fails when CI=true;
# otherwise it says loudly which tests it skipped and runs the rest.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --workspace --all-targets --locked

# The second, independent verifier of audit bundles (tests/audit, Python), before the cargo
# suite, whose tests may run it too.
if ! python3 -c 'import cryptography' 2>/dev/null; then
  python3 -m pip install --quiet cryptography \
    || { echo "test.sh: FAILED: could not install the Python package cryptography (tests/audit needs it)" >&2; exit 1; }
fi
python3 -m unittest discover -s tests/audit \
  || { echo "test.sh: FAILED: the Python audit verifier's tests (python3 -m unittest discover -s tests/audit)" >&2; exit 1; }

# The pages' tests drive Debian's Chromium through chromedriver (server/tests/pages.rs).
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  if [ "$(id -u)" = "0" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver fonts-dejavu-core >/dev/null \
      || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver fonts-dejavu-core >/dev/null; } \
      || { echo "test.sh: FAILED: could not install Debian's chromium and chromium-driver (the pages' browser tests need them)" >&2; exit 1; }
  else
    echo "test.sh: FAILED: /usr/bin/chromium and /usr/bin/chromedriver are missing; install Debian's chromium, chromium-driver and fonts-dejavu-core (as root: apt-get install chromium chromium-driver fonts-dejavu-core)" >&2
    exit 1
  fi
fi

run_suite() {
  METOD_TEST_PG_URL="$METOD_PG_URL" cargo test --workspace --locked -- "$@"
}
export -f run_suite

set +e
scripts/with-postgres.sh bash -c 'run_suite "$@"' run_suite "$@"
status=$?
set -e
if [ "$status" -ne 3 ]; then
  exit "$status"
fi

if [ "${CI:-}" = "true" ]; then
  echo "test.sh: PostgreSQL could not be started, and CI=true: failing (the PostgreSQL half of the suite must run in CI)" >&2
  exit 1
fi
echo "" >&2
echo "test.sh: WARNING: PostgreSQL could not be started; running the SQLite half only." >&2
echo "test.sh: SKIPPED: every test whose name contains 'postgres'." >&2
echo "" >&2
cargo test --workspace --locked -- --skip postgres "$@"
