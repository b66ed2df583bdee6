#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on loopback for the test suite and print its URL.
# Installs the Debian packages when missing. Idempotent: reuses a running server.
set -euo pipefail
PORT="${PAYFORCE_PG_PORT:-54329}"
DATA="${PAYFORCE_PG_DATA:-/tmp/payforce-pg}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
if [ -z "$BIN" ]; then
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
fi
RUN=""
if [ "$(id -u)" = "0" ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql postgres
  RUN="runuser -u postgres --"
fi
if ! $RUN "$BIN/pg_isready" -h 127.0.0.1 -p "$PORT" -q 2>/dev/null; then
  if [ ! -f "$DATA/PG_VERSION" ]; then
    rm -rf "$DATA"; mkdir -p "$DATA"
    [ -n "$RUN" ] && chown postgres "$DATA"
    $RUN "$BIN/initdb" -D "$DATA" -U payforce --auth=trust >/dev/null
  fi
  $RUN "$BIN/pg_ctl" -D "$DATA" -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off" \
    -l "$DATA/server.log" -w start >/dev/null
fi
for i in $(seq 1 30); do
  $RUN "$BIN/pg_isready" -h 127.0.0.1 -p "$PORT" -q && break
  sleep 1
done
$RUN "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U payforce -d postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname='payforce_test'" | grep -q 1 || \
  $RUN "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U payforce payforce_test
echo "postgresql://payforce@127.0.0.1:$PORT/payforce_test"
