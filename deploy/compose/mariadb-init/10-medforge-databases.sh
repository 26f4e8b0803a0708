#!/bin/bash
# First start of the MariaDB volume only: each subgraph's database, owned by the MedForge user.
set -euo pipefail
for db in medforge_identity medforge_session medforge_competition; do
  mariadb -uroot -p"$MARIADB_ROOT_PASSWORD" <<SQL
CREATE DATABASE IF NOT EXISTS \`$db\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
GRANT ALL PRIVILEGES ON \`$db\`.* TO '$MARIADB_USER'@'%';
SQL
done
