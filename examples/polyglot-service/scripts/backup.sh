#!/usr/bin/env bash
# Nightly backup of the SQLite database; keeps two weeks of snapshots.
DB_PATH="${DB_PATH:-/data/inventory.db}"
BACKUP_DIR="${BACKUP_DIR:-/var/backups/inventory}"
RETENTION_DAYS=14

stamp=$(date +%Y%m%d-%H%M%S)
mkdir -p "$BACKUP_DIR"
cd "$BACKUP_DIR"

sqlite3 "$DB_PATH" ".backup inventory-$stamp.db"
gzip "inventory-$stamp.db"
find . -name 'inventory-*.db.gz' -mtime "+$RETENTION_DAYS" -delete
echo "backup: wrote $BACKUP_DIR/inventory-$stamp.db.gz"
