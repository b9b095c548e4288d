#!/bin/sh
# Runs once, when the database volume is first initialized (postgres image's /docker-entrypoint-initdb.d):
# creates the login the API works as. The API migrates as the owner (POSTGRES_USER) and then grants this
# role exactly what it needs (docs/database-roles.md). psql quotes the password itself (:'var').
set -eu
psql -v ON_ERROR_STOP=1 -v app_password="$KONTAKT_APP_PASSWORD" --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
CREATE ROLE kontakt_app LOGIN PASSWORD :'app_password';
SQL
