#!/usr/bin/env bash
# Start a PostgreSQL server on loopback for the HQ tests (Debian/Ubuntu, run as root).
# Installs the server when missing, creates or starts the packaged cluster (whether it was never
# started, stopped, or is already running), and makes the test role and database.
# Prints nothing but the URL on stdout:   export ASSOCIATE_TEST_PG="$(scripts/start-postgres.sh)"
# PG_CLUSTER names another cluster than "main" (e.g. a scratch one to try this script on).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
cluster="${PG_CLUSTER:-main}"

say() { echo "start-postgres: $*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  say "needs root (it may install packages and starts the cluster as the postgres user)"
  exit 1
fi
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || ! command -v pg_lsclusters >/dev/null; then
  say "installing PostgreSQL"
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -1)

field() {  # field <column>: Ver Cluster Port Status … of our cluster in pg_lsclusters
  pg_lsclusters -h | awk -v v="$version" -v c="$cluster" -v n="$1" '$1 == v && $2 == c {print $n}'
}

if [ -z "$(field 2)" ]; then
  say "creating cluster $version/$cluster"
  pg_createcluster "$version" "$cluster" >&2
fi
port=$(field 3)
if [ "$(field 4)" != "online" ]; then
  say "starting cluster $version/$cluster on port $port"
  # Loopback only; a test server needs many connections and no durability wait on commit.
  pg_ctlcluster "$version" "$cluster" start -- \
    -o "-c listen_addresses=127.0.0.1 -c max_connections=300 -c synchronous_commit=off" >&2 \
    || pg_ctlcluster "$version" "$cluster" start >&2
fi
for _ in $(seq 1 60); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 0.5
done
if ! pg_isready -q -h 127.0.0.1 -p "$port"; then
  say "the server on port $port does not answer; see /var/log/postgresql/postgresql-$version-$cluster.log"
  exit 1
fi

psql_admin() { runuser -u postgres -- psql -X -q -p "$port" -v ON_ERROR_STOP=1 "$@"; }
psql_admin >&2 <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'associate') THEN
    CREATE ROLE associate LOGIN PASSWORD 'associate' CREATEDB;
  END IF;
END $$;
SQL
if [ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = 'associate_test'")" != "1" ]; then
  runuser -u postgres -- createdb -p "$port" -O associate associate_test >&2
fi
echo "postgresql://associate:associate@127.0.0.1:$port/associate_test"
