#!/bin/sh
# A PostgreSQL streaming replica of the local primary, made with PostgreSQL's own replication
# (pg_basebackup -R and a physical replication slot) and Debian's cluster tools (issue 22
# point 5; docs/scaling.md, docs/operations.md "A read replica").
#
#   tools/pg_replica.sh create   make the replica if there is none, start it if it is down,
#                                wait until it streams (safe to run any number of times)
#   tools/pg_replica.sh status   the replica's cluster, pg_stat_replication on the primary, lag
#   tools/pg_replica.sh remove   stop and delete the replica, drop its slot, take back the
#                                pg_hba line this script added
#
# Defaults: primary 127.0.0.1:5432 as user postgres (trust), replica cluster "replica" of
# PostgreSQL 15 on 127.0.0.1:5433. Override with PG_VERSION, REPLICA_NAME, REPLICA_PORT,
# PRIMARY_HOST, PRIMARY_PORT, PRIMARY_USER, REPLICA_SLOT. Runs as root (Debian's pg_* tools,
# files owned by the postgres user); the primary must be a cluster of this machine.
set -eu

PG_VERSION=${PG_VERSION:-15}
REPLICA_NAME=${REPLICA_NAME:-replica}
REPLICA_PORT=${REPLICA_PORT:-5433}
PRIMARY_HOST=${PRIMARY_HOST:-127.0.0.1}
PRIMARY_PORT=${PRIMARY_PORT:-5432}
PRIMARY_USER=${PRIMARY_USER:-postgres}
REPLICA_SLOT=${REPLICA_SLOT:-pcip_replica}
BIN=/usr/lib/postgresql/$PG_VERSION/bin
CONF=/etc/postgresql/$PG_VERSION/$REPLICA_NAME
DATA=/var/lib/postgresql/$PG_VERSION/$REPLICA_NAME
MARK="# pcip read replica (tools/pg_replica.sh)"
LOCK=/tmp/pcip-pg-replica.lock

say() { echo "pg_replica: $*" >&2; }
die() { say "$*"; exit 1; }

primary() { psql -X -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$PRIMARY_USER" -d postgres -Atqc "$1"; }
replica() { psql -X -h 127.0.0.1 -p "$REPLICA_PORT" -U "$PRIMARY_USER" -d postgres -Atqc "$1"; }
as_postgres() { runuser -u postgres -- "$@"; }

exists() { [ -f "$CONF/postgresql.conf" ]; }
running() { pg_lsclusters -h "$PG_VERSION" "$REPLICA_NAME" 2>/dev/null | grep -q online; }

need_tools() {
  [ "$(id -u)" = 0 ] || die "run as root (Debian's pg_createcluster and pg_ctlcluster)"
  for tool in pg_createcluster pg_ctlcluster pg_dropcluster pg_lsclusters psql runuser flock; do
    command -v "$tool" >/dev/null || die "$tool is missing (Debian's postgresql-common, util-linux)"
  done
  [ -x "$BIN/pg_basebackup" ] || die "$BIN/pg_basebackup is missing (postgresql-$PG_VERSION)"
}

# The primary must allow a replication connection from this machine: wal_level replica (or
# logical) and max_wal_senders > 0 need a restart to change, so they are checked and never
# changed here; a pg_hba line for replication is added (and the configuration reloaded) only
# if a replication connection is refused.
check_primary() {
  primary "select 1" >/dev/null 2>&1 || die "the primary $PRIMARY_HOST:$PRIMARY_PORT does not answer"
  wal_level=$(primary "show wal_level")
  [ "$wal_level" = replica ] || [ "$wal_level" = logical ] \
    || die "the primary's wal_level is $wal_level: set it to replica and restart the primary"
  senders=$(primary "show max_wal_senders")
  [ "$senders" -gt 0 ] || die "the primary's max_wal_senders is 0: raise it and restart the primary"
  if ! psql -X "host=$PRIMARY_HOST port=$PRIMARY_PORT user=$PRIMARY_USER replication=true" \
      -Atqc "IDENTIFY_SYSTEM" >/dev/null 2>&1; then
    hba=$(primary "show hba_file")
    [ -w "$hba" ] || die "replication connections are refused and $hba is not writable here"
    say "allowing replication connections from $PRIMARY_HOST in $hba (and reloading)"
    printf '%s\nhost replication %s %s/32 trust\n' "$MARK" "$PRIMARY_USER" "$PRIMARY_HOST" >>"$hba"
    primary "select pg_reload_conf()" >/dev/null
    sleep 1
    psql -X "host=$PRIMARY_HOST port=$PRIMARY_PORT user=$PRIMARY_USER replication=true" \
      -Atqc "IDENTIFY_SYSTEM" >/dev/null || die "replication connections are still refused"
  fi
}

wait_streaming() {
  i=0
  while [ $i -lt 60 ]; do
    state=$(primary "select state from pg_stat_replication where application_name = '$REPLICA_NAME'" 2>/dev/null || true)
    if [ "$state" = streaming ] && replica "select pg_is_in_recovery()" 2>/dev/null | grep -q t; then
      say "replica $PG_VERSION/$REPLICA_NAME on port $REPLICA_PORT is streaming from $PRIMARY_HOST:$PRIMARY_PORT"
      return 0
    fi
    i=$((i + 1))
    sleep 1
  done
  die "the replica did not start streaming within 60 s (see /var/log/postgresql/postgresql-$PG_VERSION-$REPLICA_NAME.log)"
}

create() {
  need_tools
  check_primary
  if exists; then
    [ -f "$DATA/standby.signal" ] || die "cluster $PG_VERSION/$REPLICA_NAME exists and is not a standby: remove it first"
    running || pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$REPLICA_NAME" start 9>&-
    wait_streaming
    return 0
  fi
  # A physical slot: the primary keeps the WAL the replica has not received yet (and a stopped
  # replica makes the primary keep WAL without bound: remove the replica when it is not used).
  if [ -z "$(primary "select 1 from pg_replication_slots where slot_name = '$REPLICA_SLOT'")" ]; then
    primary "select pg_create_physical_replication_slot('$REPLICA_SLOT')" >/dev/null
  fi
  say "creating cluster $PG_VERSION/$REPLICA_NAME on port $REPLICA_PORT"
  pg_createcluster "$PG_VERSION" "$REPLICA_NAME" --port "$REPLICA_PORT" >/dev/null
  # The same access rules as the primary (it holds the same data), listening on loopback.
  cp "$(primary "show hba_file")" "$CONF/pg_hba.conf"
  chown postgres:postgres "$CONF/pg_hba.conf"
  # A hot standby refuses to start with fewer of these than its primary has.
  {
    echo "listen_addresses = '127.0.0.1'"
    for setting in max_connections max_worker_processes max_wal_senders \
        max_locks_per_transaction max_prepared_transactions; do
      echo "$setting = $(primary "show $setting")"
    done
    echo "hot_standby = on"
    # A replica for tests and benchmarks on this machine, made again in seconds: no fsync. With
    # it, on the shared 2-core machine, restartpoints spent minutes syncing the files of the
    # test suites' databases, and the replay of each DROP DATABASE waited for them (replica
    # minutes behind). A production replica keeps fsync on (docs/operations.md).
    echo "fsync = ${REPLICA_FSYNC:-off}"
  } >"$CONF/conf.d/90-pcip-replica.conf"
  chown postgres:postgres "$CONF/conf.d/90-pcip-replica.conf"
  # The data directory initdb made is replaced by a base backup of the primary; -R writes
  # standby.signal and primary_conninfo (with the slot) into postgresql.auto.conf.
  # Tried three times: a base backup taken while other work drops databases can fail (a
  # directory gone mid-copy; seen once on this machine). A cluster left half made is dropped,
  # so that the next run starts afresh.
  attempt=1
  while :; do
    find "$DATA" -mindepth 1 -delete
    say "pg_basebackup from $PRIMARY_HOST:$PRIMARY_PORT (slot $REPLICA_SLOT), attempt $attempt"
    if as_postgres "$BIN/pg_basebackup" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" \
        -U "$PRIMARY_USER" -D "$DATA" -R -X stream -S "$REPLICA_SLOT" -c fast \
        -d "application_name=$REPLICA_NAME"; then
      break
    fi
    if [ $attempt -ge 3 ]; then
      pg_dropcluster "$PG_VERSION" "$REPLICA_NAME"
      die "pg_basebackup failed three times; cluster $PG_VERSION/$REPLICA_NAME dropped"
    fi
    attempt=$((attempt + 1))
    sleep 2
  done
  pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$REPLICA_NAME" start 9>&-
  wait_streaming
}

status() {
  pg_lsclusters -h "$PG_VERSION" "$REPLICA_NAME" 2>/dev/null || echo "no cluster $PG_VERSION/$REPLICA_NAME"
  echo "pg_stat_replication on the primary:"
  primary "select application_name, state, sent_lsn, replay_lsn, pg_wal_lsn_diff(sent_lsn, replay_lsn) as bytes_behind, replay_lag from pg_stat_replication" || true
  echo "slot:"
  primary "select slot_name, active, pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn) as retained_bytes from pg_replication_slots where slot_name = '$REPLICA_SLOT'" || true
}

remove() {
  need_tools
  if exists; then
    running && pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$REPLICA_NAME" stop -m fast
    pg_dropcluster "$PG_VERSION" "$REPLICA_NAME"
    say "removed cluster $PG_VERSION/$REPLICA_NAME"
  fi
  if [ -n "$(primary "select 1 from pg_replication_slots where slot_name = '$REPLICA_SLOT'")" ]; then
    primary "select pg_drop_replication_slot('$REPLICA_SLOT')" >/dev/null
    say "dropped slot $REPLICA_SLOT"
  fi
  hba=$(primary "show hba_file")
  if [ -w "$hba" ] && grep -qF "$MARK" "$hba"; then
    # The marked line and the one after it, nothing else.
    awk -v mark="$MARK" '$0 == mark { skip = 2 } skip > 0 { skip--; next } { print }' "$hba" >"$hba.pcip-tmp"
    cat "$hba.pcip-tmp" >"$hba" && rm -f "$hba.pcip-tmp"
    primary "select pg_reload_conf()" >/dev/null
    say "took back the replication line of $hba"
  fi
}

action=${1:-create}
case "$action" in
  create | status | remove) ;;
  *) die "usage: $0 create|status|remove" ;;
esac
# One run at a time (two test processes may ask for the replica together).
exec 9>"$LOCK"
flock 9
"$action"
