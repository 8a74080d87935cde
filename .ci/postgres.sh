# Sourced by .ci/run: a throw-away PostgreSQL cluster on 127.0.0.1 for the test suite.
# start_test_postgres exports GRADPHOTO_TEST_PG_URL (returns non-zero, with the reason, if it cannot);
# stop_test_postgres stops the server and removes the cluster.
start_test_postgres() {
  local bindir port
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$bindir" ] || { echo "no PostgreSQL server binaries under /usr/lib/postgresql" >&2; return 1; }
  PG_TEST_DIR=$(mktemp -d /tmp/gradphoto-pg.XXXXXX) || return 1
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])') || return 1
  PG_AS=()
  if [ "$(id -u)" = 0 ]; then  # the server refuses to run as root
    chown postgres "$PG_TEST_DIR" || return 1
    PG_AS=(runuser -u postgres --)
  fi
  PG_BIN=$bindir
  "${PG_AS[@]}" "$bindir/initdb" -D "$PG_TEST_DIR/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null || return 1
  # fsync off: a test cluster needs no durability, and it keeps the suite fast on 2 cores.
  "${PG_AS[@]}" "$bindir/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/log" -w start \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_TEST_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    >/dev/null || { cat "$PG_TEST_DIR/log" >&2; return 1; }
  "$bindir/psql" -q -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE gradphoto LOGIN PASSWORD 'gradphoto'" -c "CREATE DATABASE gradphoto_test OWNER gradphoto" \
    >/dev/null || return 1
  export GRADPHOTO_TEST_PG_URL="postgresql+psycopg://gradphoto:gradphoto@127.0.0.1:$port/gradphoto_test"
  echo "PostgreSQL test server on 127.0.0.1:$port"
}

stop_test_postgres() {
  if [ -n "${PG_TEST_DIR:-}" ] && [ -d "$PG_TEST_DIR" ]; then
    if [ -d "$PG_TEST_DIR/data" ]; then
      "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PG_TEST_DIR"
  fi
}
