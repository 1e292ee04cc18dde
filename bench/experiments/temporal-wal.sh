#!/bin/sh
# Experiment (not the default): the Temporal dev server with its SQLite file in WAL mode and
# synchronous=NORMAL instead of the default rollback journal with synchronous=FULL. The dev server
# keeps ONE SQLite connection for all persistence (history, matching, visibility), so each commit's
# fsyncs serialize every workflow update. Use through TEMPORAL_CLI_PATH, which scripts/lib/temporal-cli.ts honours:
#   TEMPORAL_CLI_PATH=$PWD/bench/experiments/temporal-wal.sh npm run bench -- --only bot,conversations
# TEMPORAL_EXTRA_ARGS adds more `server start-dev` flags, e.g.
#   TEMPORAL_EXTRA_ARGS='--dynamic-config-value system.forceSearchAttributesCacheRefreshOnRead=false'
REAL="${TEMPORAL_REAL_CLI:-$(dirname "$0")/../../.tools/bin/temporal}"
if [ "$1" = "server" ]; then
  # shellcheck disable=SC2086
  exec "$REAL" "$@" --sqlite-pragma journal_mode=wal --sqlite-pragma synchronous=normal ${TEMPORAL_EXTRA_ARGS:-}
fi
exec "$REAL" "$@"
