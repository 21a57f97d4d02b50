#!/usr/bin/env bash
# What the read models' layout costs to write at all, with no projection: copies the rows a
# rebuild wrote in a SQLite store (already projected, in id order) into a fresh file next to
# it with the settings of the rebuild's writer, then builds the same indexes the store has,
# and prints each step's time. The floor under any rebuild of that store on this layout
# (docs/benchmarks.md, session 33). Needs the `sqlite3` shell; reads the store, writes only
# the scratch file, which it removes.
#
#   scripts/rebuild-floor.sh /path/to/store.db [wal|off]
#
# `wal` (the default) writes as the store's writer does, through the write-ahead log; `off`
# writes with no journal and no syncs, as a disposable file of read models only could (never
# a file that also holds the log). The scratch file has the store's page size, or
# PAGE_SIZE's if set (to try another).
set -euo pipefail

if [ "$#" -lt 1 ] || [ ! -f "$1" ]; then
  echo "usage: $0 <store.db> [wal|off]" >&2
  exit 2
fi
command -v sqlite3 >/dev/null || { echo "rebuild-floor: the sqlite3 shell is not installed" >&2; exit 3; }

store=$(realpath "$1")
journal=${2:-wal}
case "$journal" in
  wal) pragmas="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;" ;;
  off) pragmas="PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" ;;
  *) echo "rebuild-floor: journal is wal or off, not $journal" >&2; exit 2 ;;
esac

scratch=$(mktemp "$(dirname "$store")/rebuild-floor.XXXXXX.db")
trap 'rm -f "$scratch" "$scratch-wal" "$scratch-shm" "$scratch-journal"' EXIT
rm -f "$scratch"

schema=$(sqlite3 "file:$store?mode=ro" ".schema read_model_facts")
table=$(printf '%s\n' "$schema" | sed '/^CREATE INDEX/,$d')
indexes=$(printf '%s\n' "$schema" | grep '^CREATE INDEX')
page_size=${PAGE_SIZE:-$(sqlite3 "file:$store?mode=ro" "PRAGMA page_size")}
columns="id, kind, fact_key, scope, valid_from, valid_to, recorded_from, recorded_to, position, body"

# The writer's page cache (64 MiB) and map (256 MiB) for the rows, a 4 MiB cache and one
# sorter thread per core for the indexes (store/src/sqlite.rs).
sqlite3 "$scratch" <<SQL
PRAGMA page_size = $page_size;
$pragmas
PRAGMA cache_size = -65536;
PRAGMA mmap_size = 268435456;
PRAGMA threads = $(nproc);
$table
ATTACH 'file:$store?mode=ro' AS store;
.timer on
.print rows, pages of $page_size bytes:
BEGIN;
INSERT INTO main.read_model_facts ($columns) SELECT $columns FROM store.read_model_facts ORDER BY id;
COMMIT;
PRAGMA cache_size = -4096;
.print indexes, one by one, then their commit:
BEGIN;
$indexes
COMMIT;
SQL
