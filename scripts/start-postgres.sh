#!/usr/bin/env bash
# Start a PostgreSQL server on loopback for the HQ tests (Debian/Ubuntu, run as root).
# Installs the server when missing, starts the packaged cluster and makes the test role and database.
# Prints nothing but the URL on stdout: export ASSOCIATE_TEST_PG="$(scripts/start-postgres.sh)"
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -q "^$version main$"; then
  pg_createcluster "$version" main >&2
fi
port=$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')
if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -q online; then
  pg_ctlcluster "$version" main start -- -o "-c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" >&2 \
    || pg_ctlcluster "$version" main start >&2
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 0.5
done
runuser -u postgres -- psql -q -p "$port" -v ON_ERROR_STOP=1 >&2 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'associate') THEN
    CREATE ROLE associate LOGIN PASSWORD 'associate' CREATEDB;
  END IF;
END \$\$;
SQL
if ! runuser -u postgres -- psql -p "$port" -tAc "SELECT 1 FROM pg_database WHERE datname='associate_test'" | grep -q 1; then
  runuser -u postgres -- createdb -p "$port" -O associate associate_test >&2
fi
echo "postgresql://associate:associate@127.0.0.1:$port/associate_test"
