# Sourced by the integration scripts that drive the collector from Node.js.

# Installs a test's npm packages (package.json in <dir>) unless <module> is
# there already.
#   npm_install_once <dir> <module>
npm_install_once() {
  [ -d "$1/node_modules/$2" ] ||
    npm install --prefix "$1" --no-audit --no-fund --no-package-lock --loglevel=error >/dev/null
}

# Starts a collector on a free loopback port and stops it when the script
# exits; sets $port and $pid; its log is <scratch dir>/collector.log.
#   start_collector <telltale-collector> <scratch dir> [collector args...]
start_collector() {
  local binary=$1 dir=$2
  shift 2
  "$binary" --listen 127.0.0.1:0 --data-dir "$dir/data" "$@" 2>"$dir/collector.log" &
  pid=$!
  trap 'kill -9 $pid 2>/dev/null || true' EXIT
  port=""
  for _ in $(seq 100); do
    port=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$dir/collector.log" | grep -o '[0-9]*$' || true)
    [ -n "$port" ] && return 0
    sleep 0.1
  done
  cat "$dir/collector.log"
  echo "collector did not start"
  exit 1
}
