#!/usr/bin/env bash
# Throwaway PostgreSQL on 127.0.0.1 for the ledger tests and benchmark.
#
#   .ci/postgres.sh start   installs PostgreSQL if missing (apt-get), initdb's a temp cluster,
#                           starts it on a free loopback port, creates user + database, and
#                           writes target/pg.env (export MPP_TEST_PG_URL=jdbc:postgresql://…)
#   .ci/postgres.sh stop    stops that cluster and deletes its data directory
#
# Source target/pg.env afterwards; the PostgreSQL tests read MPP_TEST_PG_URL.
set -euo pipefail
cd "$(dirname "$0")/.."

ENV_FILE="target/pg.env"

as_postgres() {
  # initdb and pg_ctl refuse to run as root.
  # from / so that the postgres user never needs access to the checkout
  if [ "$(id -u)" = "0" ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

find_bin_dir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return 0
    fi
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"
    return 0
  fi
  return 1
}

start() {
  local bin
  if ! bin="$(find_bin_dir)"; then
    echo "postgres.sh: PostgreSQL not found, installing it with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql >/dev/null
    bin="$(find_bin_dir)"
  fi
  if [ "$(id -u)" = "0" ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi

  local dir
  dir="$(mktemp -d /tmp/mpp-pg.XXXXXX)"
  chmod 700 "$dir"
  [ "$(id -u)" = "0" ] && chown postgres "$dir"

  local password
  password="$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  printf '%s\n' "$password" >"$dir/pwfile"
  [ "$(id -u)" = "0" ] && chown postgres "$dir/pwfile"

  as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust \
    --auth-host=scram-sha-256 --pwfile="$dir/pwfile" -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"

  local port attempt started=""
  for attempt in $(seq 1 20); do
    port=$((20000 + RANDOM % 40000))
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      continue # something listens there already
    fi
    if as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c max_connections=200" \
      >/dev/null; then
      started=1
      break
    fi
  done
  if [ -z "$started" ]; then
    echo "postgres.sh: could not start PostgreSQL; see $dir/server.log" >&2
    exit 1
  fi

  as_postgres "$bin/psql" -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE ROLE mpp LOGIN PASSWORD '$password'" \
    -c "CREATE DATABASE mpp_test OWNER mpp"

  mkdir -p target
  cat >"$ENV_FILE" <<EOF
export MPP_TEST_PG_URL='jdbc:postgresql://127.0.0.1:$port/mpp_test?user=mpp&password=$password'
export MPP_TEST_PG_DIR='$dir'
export MPP_TEST_PG_BIN='$bin'
EOF
  echo "postgres.sh: PostgreSQL $("$bin/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$port, data in $dir; env in $ENV_FILE"
}

stop() {
  if [ ! -f "$ENV_FILE" ]; then
    echo "postgres.sh: no $ENV_FILE, nothing to stop" >&2
    return 0
  fi
  # shellcheck disable=SC1090
  source "$ENV_FILE"
  if [ -d "${MPP_TEST_PG_DIR:-}/data" ]; then
    as_postgres "$MPP_TEST_PG_BIN/pg_ctl" -D "$MPP_TEST_PG_DIR/data" -m fast -w stop >/dev/null || true
  fi
  case "${MPP_TEST_PG_DIR:-}" in
    /tmp/mpp-pg.*) rm -rf "$MPP_TEST_PG_DIR" ;;
  esac
  rm -f "$ENV_FILE"
  echo "postgres.sh: stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
