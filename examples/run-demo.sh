#!/usr/bin/env bash
# README's demo, end to end on a fresh clone (needs Java 17+, Maven, Node.js 20+):
#   1. installs the local stack's npm packages (anvil + the mppx reference server; no install scripts),
#   2. builds the examples and what they depend on (nothing is installed into ~/.m2),
#   3. starts the local stack: anvil in Tempo mode (chain 1337) and the reference server, on free ports,
#   4. runs the fleet demo (dev.mpp.examples.FleetDemo) against it, with an SQLite ledger under
#      examples/target/,
#   5. runs the session quick start (dev.mpp.examples.SessionQuickStart): one payment channel,
#      voucher-paid requests, close, checked against the chain,
#   6. stops the stack, also when a step fails or the script is interrupted.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

target=examples/target
stack_log="$target/demo-stack.log"

echo "== local stack packages (examples/mpp-server/ci-setup.sh)"
bash examples/mpp-server/ci-setup.sh

echo "== build (mvn -pl examples -am package)"
mvn -B -ntp -q -pl examples -am package -DskipTests

echo "== start the local stack (node examples/mpp-server/stack.mjs)"
mkdir -p "$target"
node examples/mpp-server/stack.mjs >"$stack_log" 2>&1 &
stack_pid=$!
stop_stack() {
  if kill -0 "$stack_pid" 2>/dev/null; then
    kill -TERM "$stack_pid" 2>/dev/null || true
    # stack.mjs stops anvil and the server, then exits; give it the 5 s grace it gives them.
    for _ in $(seq 1 70); do
      kill -0 "$stack_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$stack_pid" 2>/dev/null || true
  fi
  wait "$stack_pid" 2>/dev/null || true
}
trap stop_stack EXIT
trap 'exit 130' INT TERM

ready=""
for _ in $(seq 1 600); do
  if ready="$(grep -m1 '^{"ready":true' "$stack_log" 2>/dev/null)"; then
    break
  fi
  if ! kill -0 "$stack_pid" 2>/dev/null; then
    echo "run-demo: the local stack exited during start-up; its log ($stack_log):" >&2
    cat "$stack_log" >&2
    exit 1
  fi
  sleep 0.1
done
if [[ -z "$ready" ]]; then
  echo "run-demo: the local stack was not ready within 60 s; its log ($stack_log):" >&2
  cat "$stack_log" >&2
  exit 1
fi
server_url="$(node -e 'console.log(JSON.parse(process.argv[1]).serverUrl)' "$ready")"
rpc_url="$(node -e 'console.log(JSON.parse(process.argv[1]).rpcUrl)' "$ready")"
escrow="$(node -e 'console.log(JSON.parse(process.argv[1]).escrow)' "$ready")"
echo "   server $server_url, chain $rpc_url, session escrow $escrow (log: $stack_log)"

echo "== fleet demo (dev.mpp.examples.FleetDemo)"
java -cp "$target/classes:$target/lib/*" dev.mpp.examples.FleetDemo \
  --server "$server_url" --rpc-url "$rpc_url" --ledger "$target/fleet-demo.db"

echo "== session quick start (dev.mpp.examples.SessionQuickStart)"
java -cp "$target/classes:$target/lib/*" dev.mpp.examples.SessionQuickStart \
  --server "$server_url" --rpc-url "$rpc_url" --escrow "$escrow" --wallet "$target/session-demo.db"
