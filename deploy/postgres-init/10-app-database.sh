#!/bin/sh
# First start of the postgresql volume only: the app's own database and role, apart from Temporal's.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<SQL
CREATE ROLE chorus LOGIN PASSWORD '${APP_DB_PASSWORD}';
CREATE DATABASE chorus OWNER chorus;
SQL
