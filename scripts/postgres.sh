#!/usr/bin/env bash
# postgres.sh — starts Debian's PostgreSQL (installed by `make test`) and prints
# the URL of a fresh test database on stdout. Exits non-zero, saying why on
# stderr, when it cannot. The database is $VIENREIZ_TEST_DB (vienreiz_test).
# `postgres.sh stop` stops the cluster again if (and only if) an earlier run
# started it; a cluster that was already running is left alone.
set -euo pipefail
export LANG=C.UTF-8 LC_ALL=C.UTF-8  # the tools complain about locales that are not generated
db=${VIENREIZ_TEST_DB:-vienreiz_test}
started_file=${TMPDIR:-/tmp}/vienreiz-postgres-started
# The postgres user cannot enter the caller's folder (e.g. a checkout under
# /root): its tools would print "Permission denied" for it.
cd /
if [ "${1:-}" = stop ]; then
  [ -f "$started_file" ] || exit 0
  cluster=$(cat "$started_file")
  rm -f "$started_file"
  if [ "$(id -u)" -eq 0 ]; then pg_ctlcluster $cluster stop >&2; else sudo pg_ctlcluster $cluster stop >&2; fi
  exit 0
fi
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  echo "postgres.sh: PostgreSQL is not installed" >&2; exit 1
fi
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
if ! pg_lsclusters -h 2>/dev/null | grep -q online; then
  cluster=$(pg_lsclusters -h | awk 'NR==1{print $1" "$2}')
  if [ -z "$cluster" ]; then
    ver=$(ls /usr/lib/postgresql | sort -V | tail -1)
    if [ "$(id -u)" -eq 0 ]; then pg_createcluster "$ver" main >&2; else sudo pg_createcluster "$ver" main >&2; fi
    cluster="$ver main"
  fi
  # A server killed earlier (as CI's sandbox does between runs) leaves lock
  # files naming PIDs that may now belong to other processes: drop the ones
  # not held by a running postgres, then start; try again while the killed
  # server's last processes are still going away.
  datadir=$(pg_lsclusters -h | awk -v c="$cluster" '$1" "$2==c{print $6}')
  for attempt in 1 2 3 4 5; do
    for lock in /var/run/postgresql/.s.PGSQL.*.lock "$datadir/postmaster.pid"; do
      [ -f "$lock" ] || continue
      pid=$(head -1 "$lock")
      if ! ps -p "$pid" -o comm= 2>/dev/null | grep -q postgres; then
        echo "postgres.sh: removing stale $lock (PID $pid is not a postgres server)" >&2
        rm -f "$lock" "${lock%.lock}"
      fi
    done
    if [ "$(id -u)" -eq 0 ]; then pg_ctlcluster $cluster start >&2 && break; else sudo pg_ctlcluster $cluster start >&2 && break; fi
    [ "$attempt" = 5 ] && { echo "postgres.sh: the server does not start" >&2; exit 1; }
    sleep 2
  done
  echo "$cluster" >"$started_file"
fi
port=$(pg_lsclusters -h | awk '$4=="online"{print $3; exit}')
for i in $(seq 1 30); do as_postgres pg_isready -q -p "$port" && break; sleep 1; done
as_postgres psql -q -p "$port" -v ON_ERROR_STOP=1 <<SQL >&2
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vienreiz') THEN
    CREATE ROLE vienreiz LOGIN CREATEDB PASSWORD 'vienreiz';
  END IF;
END \$\$;
ALTER ROLE vienreiz CREATEDB;
DROP DATABASE IF EXISTS "$db";
CREATE DATABASE "$db" OWNER vienreiz;
SQL
echo "postgres://vienreiz:vienreiz@127.0.0.1:${port}/${db}?sslmode=disable"
