#!/usr/bin/env bash
# Longer soak of SqliteBackend's crash test: a child process writing and fsyncing in a loop is
# killed with SIGKILL at random moments, KILLS times (default 2000); after every kill the
# database must pass PRAGMA integrity_check and AnyFS's invariants, and hold every write the
# child acknowledged after fsync. The test suite runs the same test with 110 kills.
#
# Usage: benchmark/sqlite_soak.sh [KILLS]      (ROUNDS=N repeats the whole run N times)
set -euo pipefail
cd "$(dirname "$0")/.."
kills="${1:-2000}"
rounds="${ROUNDS:-1}"
for round in $(seq 1 "$rounds"); do
  echo "sqlite soak: run $round of $rounds, $kills kills"
  ANYFS_SQLITE_CRASH_KILLS="$kills" cargo test -p anyfs --test sqlite_processes \
    killed_writers_lose_no_acknowledged_write -- --exact --nocapture
done
