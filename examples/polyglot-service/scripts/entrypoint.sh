#!/bin/sh
# Container entrypoint: prepares the data directory and starts the API.
set -eu

DB_PATH="${DB_PATH:-/data/inventory.db}"
PORT="${PORT:-8080}"

mkdir -p "$(dirname "$DB_PATH")"

if [ ! -f "$DB_PATH" ]; then
    echo "entrypoint: creating new database at $DB_PATH"
fi

if [ "$#" -gt 0 ] && [ "${1#-}" = "$1" ]; then
    # A command was given (e.g. `docker run ... sh`), run it instead.
    exec "$@"
fi

exec python -m app.server --port $PORT --db "$DB_PATH" "$@"
