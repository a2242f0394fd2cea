#!/usr/bin/env bash
# Starts and stops the servers the remote-cache tests run against, each on 127.0.0.1 on free
# ports, with everything (config, data, logs, pids) under DIR.
#
#   tests/remote/servers.sh start s3|http|redis DIR
#   tests/remote/servers.sh stop DIR
#
# start writes:
#   DIR/url, DIR/env                    the URL to give lintmux and the `export` lines it needs
#   DIR/url.readonly, DIR/env.readonly  the same store with credentials that may only read
#   DIR/*.pid                           what stop kills
# s3:    s3://lintmux-test/cache on SeaweedFS; env has AWS_* (admin), env.readonly a Read/List identity
# http:  http://127.0.0.1:PORT/cache on nginx WebDAV; /ro aliases the same directory, GET/HEAD/PROPFIND only
# redis: redis://127.0.0.1:PORT/0; url.readonly is redis://ro:PASSWORD@... (GET EXISTS STRLEN GETRANGE)
# Needs what .ci/setup-remote-servers installs.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WEED=$ROOT/target/tmp/remote-servers/venv/bin/weed
BUCKET=lintmux-test
PREFIX=cache
WAIT_SECONDS=${REMOTE_SERVERS_WAIT:-30}

die() {
	echo "servers.sh: error: $*" >&2
	exit 1
}

usage() {
	echo "usage: $0 start s3|http|redis DIR | stop DIR" >&2
	exit 2
}

# free_ports N: N distinct ports free on 127.0.0.1 right now.
free_ports() {
	python3 - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

secret() { python3 -c 'import secrets; print(secrets.token_hex(12))'; }

# fail_with_log DIR LOG MESSAGE: stop what was started, print the log's tail, exit 1.
fail_with_log() {
	local dir=$1 log=$2
	shift 2
	{
		echo "servers.sh: error: $*"
		echo "--- last lines of $log ---"
		tail -n 30 "$log" 2>/dev/null || true
	} >&2
	stop "$dir" >/dev/null 2>&1 || true
	exit 1
}

# wait_for DIR LOG PIDFILE WHAT CMD...: retry CMD every 0.2 s for WAIT_SECONDS.
wait_for() {
	local dir=$1 log=$2 pidfile=$3 what=$4
	shift 4
	local deadline=$((SECONDS + WAIT_SECONDS))
	while ((SECONDS < deadline)); do
		if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
			fail_with_log "$dir" "$log" "the server exited while waiting for $what"
		fi
		if "$@" >/dev/null 2>&1; then return 0; fi
		sleep 0.2
	done
	fail_with_log "$dir" "$log" "no $what within ${WAIT_SECONDS}s"
}

# launch PIDFILE LOG CMD...: CMD in the background, in its own session, its pid in PIDFILE.
launch() {
	local pidfile=$1 log=$2
	shift 2
	setsid "$@" </dev/null >>"$log" 2>&1 &
	echo $! >"$pidfile"
}

start_redis() {
	local dir=$1 port password
	command -v redis-server >/dev/null || die "redis-server not found (run .ci/setup-remote-servers)"
	port=$(free_ports 1)
	password=$(secret)
	mkdir -p "$dir/data"
	cat >"$dir/redis.conf" <<EOF
bind 127.0.0.1
port $port
protected-mode yes
daemonize no
dir $dir/data
logfile ""
save ""
appendonly no
databases 16
# What opendal's redis service sends to read: GET (read), GETRANGE (ranged read), EXISTS and
# STRLEN (stat); @connection has AUTH, HELLO, SELECT, PING and CLIENT SETINFO for the handshake.
user default on nopass ~* &* +@all
user ro on >$password ~* resetchannels -@all +@connection +get +getrange +exists +strlen
EOF
	launch "$dir/redis.pid" "$dir/redis.log" redis-server "$dir/redis.conf"
	wait_for "$dir" "$dir/redis.log" "$dir/redis.pid" "PONG from redis on port $port" \
		bash -c "[[ \$(redis-cli -h 127.0.0.1 -p $port ping) == PONG ]]"
	echo "redis://127.0.0.1:$port/0" >"$dir/url"
	echo "redis://ro:$password@127.0.0.1:$port/0" >"$dir/url.readonly"
	echo "# redis needs no environment" >"$dir/env"
	echo "# redis needs no environment: the password is in url.readonly" >"$dir/env.readonly"
}

start_http() {
	local dir=$1 port user_line=
	[[ -x /usr/sbin/nginx ]] || die "/usr/sbin/nginx not found (run .ci/setup-remote-servers)"
	[[ -f /usr/lib/nginx/modules/ngx_http_dav_ext_module.so ]] ||
		die "nginx's dav-ext module not found (run .ci/setup-remote-servers)"
	port=$(free_ports 1)
	mkdir -p "$dir/www/cache" "$dir/tmp"
	# As root, nginx's workers would run as nobody and could not write under DIR.
	[[ $(id -u) == 0 ]] && user_line="user root root;"
	cat >"$dir/nginx.conf" <<EOF
load_module /usr/lib/nginx/modules/ngx_http_dav_ext_module.so;
$user_line
daemon off;
master_process on;
worker_processes 1;
pid $dir/nginx.master.pid;
error_log $dir/nginx.log info;
events { worker_connections 256; }
http {
    access_log $dir/access.log;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    client_max_body_size 0;
    default_type application/octet-stream;
    server {
        listen 127.0.0.1:$port;
        root $dir/www;
        # A Bazel-style HTTP cache: GET/HEAD/PUT/DELETE/MKCOL, parents made on PUT, PROPFIND.
        location /cache/ {
            dav_methods PUT DELETE MKCOL COPY MOVE;
            dav_ext_methods PROPFIND OPTIONS;
            create_full_put_path on;
            dav_access user:rw group:rw all:r;
        }
        # The same directory for a client that may only read: writes answer 403.
        location /ro/ {
            alias $dir/www/cache/;
            dav_ext_methods PROPFIND OPTIONS;
            limit_except GET PROPFIND OPTIONS { deny all; }
        }
    }
}
EOF
	/usr/sbin/nginx -t -q -p "$dir" -c "$dir/nginx.conf" >>"$dir/nginx.log" 2>&1 ||
		fail_with_log "$dir" "$dir/nginx.log" "nginx rejected $dir/nginx.conf"
	launch "$dir/nginx.pid" "$dir/nginx.log" /usr/sbin/nginx -p "$dir" -c "$dir/nginx.conf"
	wait_for "$dir" "$dir/nginx.log" "$dir/nginx.pid" "an answer from nginx on port $port" \
		curl -sf -o /dev/null -X PROPFIND -H 'Depth: 0' "http://127.0.0.1:$port/cache/"
	echo "http://127.0.0.1:$port/cache" >"$dir/url"
	echo "http://127.0.0.1:$port/ro" >"$dir/url.readonly"
	echo "# the http cache needs no environment" >"$dir/env"
	echo "# the http cache needs no environment" >"$dir/env.readonly"
}

start_s3() {
	local dir=$1 master master_g volume volume_g filer filer_g s3 s3_g ak sk rak rsk
	[[ -x $WEED ]] || die "$WEED not found (run .ci/setup-remote-servers)"
	# Every port is given: weed's default gRPC ports are port+10000, which may be taken.
	read -r master master_g volume volume_g filer filer_g s3 s3_g <<<"$(free_ports 8)"
	ak=admin$(secret) sk=$(secret) rak=ro$(secret) rsk=$(secret)
	mkdir -p "$dir/data" "$dir/logs"
	cat >"$dir/identities.json" <<EOF
{"identities": [
  {"name": "admin", "credentials": [{"accessKey": "$ak", "secretKey": "$sk"}],
   "actions": ["Admin", "Read", "List", "Tagging", "Write"]},
  {"name": "readonly", "credentials": [{"accessKey": "$rak", "secretKey": "$rsk"}],
   "actions": ["Read", "List"]}
]}
EOF
	# cd: weed reads filer.toml and friends from its working directory first.
	(
		cd "$dir"
		launch "$dir/weed.pid" "$dir/weed.log" "$WEED" -logdir="$dir/logs" server \
			-dir="$dir/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
			-master.port="$master" -master.port.grpc="$master_g" -master.telemetry=false \
			-master.volumeSizeLimitMB=64 -volume.max=8 -volume.preStopSeconds=0 \
			-volume.port="$volume" -volume.port.grpc="$volume_g" \
			-filer -filer.port="$filer" -filer.port.grpc="$filer_g" \
			-s3 -s3.port="$s3" -s3.port.grpc="$s3_g" -s3.port.iceberg=0 -s3.port.lance=0 \
			-s3.config="$dir/identities.json"
	)
	local ep=http://127.0.0.1:$s3
	local sig=(--aws-sigv4 "aws:amz:us-east-1:s3" --user "$ak:$sk")
	wait_for "$dir" "$dir/weed.log" "$dir/weed.pid" "a bucket list from SeaweedFS S3 on port $s3" \
		curl -sf -o /dev/null "${sig[@]}" "$ep/"
	wait_for "$dir" "$dir/weed.log" "$dir/weed.pid" "bucket $BUCKET created" \
		curl -sf -o /dev/null -X PUT "${sig[@]}" "$ep/$BUCKET"
	# A bucket exists before the volume server has volumes: wait until a write goes through.
	echo probe >"$dir/probe"
	wait_for "$dir" "$dir/weed.log" "$dir/weed.pid" "a first write to SeaweedFS" \
		curl -sf -o /dev/null -T "$dir/probe" "${sig[@]}" "$ep/$BUCKET/.probe"
	curl -sf -o /dev/null -X DELETE "${sig[@]}" "$ep/$BUCKET/.probe" || true
	echo "s3://$BUCKET/$PREFIX" >"$dir/url"
	echo "s3://$BUCKET/$PREFIX" >"$dir/url.readonly"
	local kind key secret_key
	for kind in env env.readonly; do
		if [[ $kind == env ]]; then key=$ak secret_key=$sk; else key=$rak secret_key=$rsk; fi
		cat >"$dir/$kind" <<EOF
export AWS_ACCESS_KEY_ID=$key
export AWS_SECRET_ACCESS_KEY=$secret_key
export AWS_REGION=us-east-1
export AWS_ENDPOINT_URL=$ep
export AWS_EC2_METADATA_DISABLED=true
EOF
	done
}

# stop DIR: TERM each process a *.pid names, KILL what is left after 5 s. Safe to repeat.
stop() {
	local dir=$1 pidfile pid pids=()
	shopt -s nullglob
	for pidfile in "$dir"/redis.pid "$dir"/nginx.pid "$dir"/weed.pid "$dir"/proxy*.pid; do
		pid=$(cat "$pidfile" 2>/dev/null || true)
		rm -f "$pidfile"
		[[ $pid =~ ^[0-9]+$ ]] || continue
		kill -TERM "$pid" 2>/dev/null && pids+=("$pid")
	done
	local deadline=$((SECONDS + 5))
	for pid in "${pids[@]}"; do
		while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
		# weed can hang in its shutdown; nginx's master takes its workers with it.
		kill -KILL "$pid" 2>/dev/null || true
	done
	for pid in "${pids[@]}"; do
		while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
	done
	return 0
}

case ${1:-} in
start)
	(($# == 3)) || usage
	kind=$2 dir=$3
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	for f in "$dir"/*.pid; do
		[[ -e $f ]] && die "$dir already has a running server ($f): stop it first"
	done
	rm -f "$dir/url" "$dir/env" "$dir/url.readonly" "$dir/env.readonly"
	case $kind in
	s3) start_s3 "$dir" ;;
	http) start_http "$dir" ;;
	redis) start_redis "$dir" ;;
	*) usage ;;
	esac
	echo "$kind: $(cat "$dir/url")"
	;;
stop)
	(($# == 2)) || usage
	[[ -d $2 ]] || exit 0
	stop "$2"
	;;
*) usage ;;
esac
