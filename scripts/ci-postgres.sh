#!/usr/bin/env bash
# Starts the machine's PostgreSQL server for the tests and prints, as its only stdout line, the URL
# of a test database (role victor_test: LOGIN, CREATEDB, CREATEROLE, so each test file can make its
# own database and the RLS tests their own roles). Idempotent: when the server already runs and the
# role exists it only checks, which takes well under a second.
#
#   export VICTOR_TEST_PG_URL="$(bash scripts/ci-postgres.sh)"
#
# Debian only (pg_ctlcluster, apt-get); needs root, like CI. Progress goes to stderr.
set -euo pipefail

ROLE=victor_test
PASSWORD=victor_test
DATABASE=victor_test

log() { echo "ci-postgres: $*" >&2; }

newest_version() { ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1; }

if [ -z "$(newest_version)" ] || [ ! -x "/usr/lib/postgresql/$(newest_version)/bin/postgres" ]; then
  log "PostgreSQL is not installed: apt-get install postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql postgresql-contrib >&2
fi
VERSION="$(newest_version)"

# Search folds accents with the unaccent extension (postgresql-contrib; part of postgresql-NN on Debian).
if [ ! -f "/usr/share/postgresql/$VERSION/extension/unaccent.control" ]; then
  log "the unaccent extension is missing: apt-get install postgresql-contrib"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql-contrib >&2
fi

if ! pg_lsclusters -h | awk -v v="$VERSION" '$1 == v && $2 == "main" { found = 1 } END { exit !found }'; then
  log "creating cluster $VERSION/main"
  pg_createcluster "$VERSION" main >&2
fi

status="$(pg_lsclusters -h | awk -v v="$VERSION" '$1 == v && $2 == "main" { print $4 }')"
if [ "$status" != "online" ]; then
  log "starting cluster $VERSION/main"
  pg_ctlcluster "$VERSION" main start >&2
fi
PORT="$(pg_lsclusters -h | awk -v v="$VERSION" '$1 == v && $2 == "main" { print $3 }')"

for _ in $(seq 1 50); do
  pg_isready -q -h 127.0.0.1 -p "$PORT" && break
  sleep 0.2
done
pg_isready -q -h 127.0.0.1 -p "$PORT" || { log "the server on port $PORT does not accept connections"; exit 1; }

psql_admin() { su postgres -c "psql -X -q -v ON_ERROR_STOP=1 -p $PORT -d postgres" >&2; }

psql_admin <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD' CREATEDB CREATEROLE;
  END IF;
END
\$\$;
SQL
if ! su postgres -c "psql -X -Atq -p $PORT -d postgres -c \"SELECT 1 FROM pg_database WHERE datname = '$DATABASE'\"" | grep -q 1; then
  psql_admin <<<"CREATE DATABASE $DATABASE OWNER $ROLE;"
fi

echo "postgres://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DATABASE?sslmode=disable"
