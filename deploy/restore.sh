#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh. Replaces the database and the media files:
# stop the app servers and the worker first (make cluster-restore-test does).
#   deploy/restore.sh BACKUP_DIR [DATABASE_URL] [MEDIA_ROOT]
set -euo pipefail
cd "$(dirname "$0")/.."
backup="${1:?usage: deploy/restore.sh BACKUP_DIR [DATABASE_URL] [MEDIA_ROOT]}"
db_url="${2:-${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/academy_cluster}}"
media="${3:-${MEDIA_ROOT:-var/cluster/media}}"
( cd "$backup" && sha256sum --check --quiet SHA256SUMS )
db_name="${db_url##*/}"
admin_url="${db_url%/*}/postgres"
psql --quiet --no-psqlrc -v ON_ERROR_STOP=1 "$admin_url" \
    -c "DROP DATABASE IF EXISTS \"$db_name\" WITH (FORCE)" \
    -c "CREATE DATABASE \"$db_name\""
pg_restore --no-owner --exit-on-error --dbname="$db_url" "$backup/db.dump"
rm -rf "$media"
mkdir -p "$media"
tar -C "$media" -xzf "$backup/media.tar.gz"
echo "restored $backup into $db_name and $media"
