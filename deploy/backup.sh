#!/usr/bin/env bash
# Backup: the database (pg_dump, custom format) and the media files, into one folder.
#   deploy/backup.sh [DATABASE_URL] [MEDIA_ROOT] [BACKUP_DIR]
# Defaults: the `make cluster` database and media; backups under var/backups/<UTC time>/.
set -euo pipefail
cd "$(dirname "$0")/.."
db_url="${1:-${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/academy_cluster}}"
media="${2:-${MEDIA_ROOT:-var/cluster/media}}"
target="${3:-var/backups/$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$target"
pg_dump --format=custom --no-owner --file="$target/db.dump" "$db_url"
if [ -d "$media" ]; then
    tar -C "$media" -czf "$target/media.tar.gz" .
else
    tar -czf "$target/media.tar.gz" --files-from /dev/null
fi
( cd "$target" && sha256sum db.dump media.tar.gz > SHA256SUMS )
echo "$target"
