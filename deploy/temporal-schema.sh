#!/bin/sh
# One-shot: creates Temporal's two databases when missing and brings their schema to the version this
# server release needs. Safe to re-run (each step skips what is already there); run it again after
# upgrading the server image, before starting the new server.
#   compose: the temporal-schema service (temporalio/admin-tools); ./run production-check runs it natively
#   with TEMPORAL_SQL_TOOL and TEMPORAL_SCHEMA_DIR pointing at the tool and schema of the same release.
set -eu
: "${SQL_HOST:?SQL_HOST: the PostgreSQL host of Temporal}"
: "${SQL_USER:?SQL_USER: a PostgreSQL role that may create databases}"
: "${SQL_PASSWORD:?SQL_PASSWORD: that role password}"
export SQL_PLUGIN="${SQL_PLUGIN:-postgres12}" SQL_PORT="${SQL_PORT:-5432}" SQL_HOST SQL_USER SQL_PASSWORD
SQL_TOOL="${TEMPORAL_SQL_TOOL:-temporal-sql-tool}"
SCHEMA_DIR="${TEMPORAL_SCHEMA_DIR:-/etc/temporal/schema/postgresql/v12}"

for pair in "${TEMPORAL_DB:-temporal}:temporal" "${TEMPORAL_VISIBILITY_DB:-temporal_visibility}:visibility"; do
  database="${pair%%:*}"
  schema="${pair#*:}"
  echo "temporal-schema: $database ($schema schema)"
  "$SQL_TOOL" --db "$database" create-database
  "$SQL_TOOL" --db "$database" setup-schema -v 0.0
  "$SQL_TOOL" --db "$database" update-schema -d "$SCHEMA_DIR/$schema/versioned"
done
echo "temporal-schema: done"
