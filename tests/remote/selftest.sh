#!/usr/bin/env bash
# Checks servers.sh and fault_proxy.py: starts each server, writes and reads with curl, redis-cli
# and curl --aws-sigv4, checks that the read-only credentials cannot write, runs the proxy in
# each mode in front of the http server, and stops everything. Exits non-zero on any failure.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/remote-selftest.XXXXXX")
SERVERS=$HERE/servers.sh
passed=0 failed=0

cleanup() {
	for d in "$WORK"/*/; do "$SERVERS" stop "$d" || true; done
	rm -rf "$WORK"
}
trap cleanup EXIT

ok() { echo "ok: $*"; passed=$((passed + 1)); }
bad() { echo "FAIL: $*" >&2; failed=$((failed + 1)); }
check() { # check WHAT EXPECTED ACTUAL
	if [[ $2 == "$3" ]]; then ok "$1"; else bad "$1: expected '$2', got '$3'"; fi
}

head -c 4096 /dev/urandom >"$WORK/blob"
SUM=$(sha256sum <"$WORK/blob" | cut -d' ' -f1)
sum() { sha256sum <"$1" | cut -d' ' -f1; }

# --- http ---
"$SERVERS" start http "$WORK/http"
url=$(cat "$WORK/http/url") ro=$(cat "$WORK/http/url.readonly")
check "http PUT (parents made)" 201 "$(curl -s -o /dev/null -w '%{http_code}' -T "$WORK/blob" "$url/ac/12/blob")"
curl -s -o "$WORK/got" "$url/ac/12/blob"
check "http GET returns what was PUT" "$SUM" "$(sum "$WORK/got")"
check "http HEAD" 200 "$(curl -s -o /dev/null -w '%{http_code}' -I "$url/ac/12/blob")"
check "http GET missing" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$url/missing")"
check "http PROPFIND" 207 "$(curl -s -o /dev/null -w '%{http_code}' -X PROPFIND -H 'Depth: 1' "$url/ac/")"
check "http MKCOL" 201 "$(curl -s -o /dev/null -w '%{http_code}' -X MKCOL "$url/newdir/")"
check "http read-only GET" "$SUM" "$(curl -s "$ro/ac/12/blob" | sha256sum | cut -d' ' -f1)"
check "http read-only PUT refused" 403 "$(curl -s -o /dev/null -w '%{http_code}' -T "$WORK/blob" "$ro/ac/12/other")"
check "http read-only DELETE refused" 403 "$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "$ro/ac/12/blob")"
check "http DELETE" 204 "$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "$url/newdir/")"

# --- the fault proxy, in front of the http server ---
P=$WORK/http
python3 "$HERE/fault_proxy.py" --upstream "${url%/cache}" --port-file "$P/proxy.port" \
	--mode-file "$P/proxy.mode" --log "$P/proxy.log" &
echo $! >"$P/proxy.pid"
for _ in $(seq 50); do [[ -s $P/proxy.port ]] && break; sleep 0.1; done
[[ -s $P/proxy.port ]] || { bad "fault_proxy wrote no port file"; exit 1; }
purl=http://127.0.0.1:$(cat "$P/proxy.port")/cache
fetch() { # fetch: "CURL_EXIT HTTP_CODE SIZE SAME" for a GET of the blob through the proxy
	local rc=0 code
	rm -f "$WORK/got"
	code=$(curl -s -m 20 -o "$WORK/got" -w '%{http_code}' "$purl/ac/12/blob") || rc=$?
	local size=0 same=n
	[[ -f $WORK/got ]] && size=$(stat -c %s "$WORK/got") && [[ $(sum "$WORK/got") == "$SUM" ]] && same=y
	echo "$rc $code $size $same"
}
check "proxy, no mode file" "0 200 4096 y" "$(fetch)"
echo pass >"$P/proxy.mode"
check "proxy pass" "0 200 4096 y" "$(fetch)"
check "proxy pass PUT" 204 "$(curl -s -o /dev/null -w '%{http_code}' -T "$WORK/blob" "$purl/ac/12/blob")"
echo "delay 1" >"$P/proxy.mode"
start=$(date +%s%N)
check "proxy delay 1" "0 200 4096 y" "$(fetch)"
elapsed=$((($(date +%s%N) - start) / 1000000))
if ((elapsed >= 1000)); then ok "proxy delay took ${elapsed} ms"; else bad "proxy delay 1 took only ${elapsed} ms"; fi
echo "status 500" >"$P/proxy.mode"
check "proxy status 500" "0 500" "$(fetch | cut -d' ' -f1-2)"
echo truncate >"$P/proxy.mode"
check "proxy truncate (curl 18: partial file)" "18 200 2048 n" "$(fetch)"
echo flip >"$P/proxy.mode"
check "proxy flip (same length, other bytes)" "0 200 4096 n" "$(fetch)"
echo reset >"$P/proxy.mode"
check "proxy reset (curl 52 or 56)" "yes" "$(read -r rc code _ <<<"$(fetch)"; [[ $code == 000 && ($rc == 52 || $rc == 56) ]] && echo yes || echo "no: rc=$rc code=$code")"
printf 'PUT status 500\nGET flip\n' >"$P/proxy.mode"
check "proxy per-method: GET flip" "0 200 4096 n" "$(fetch)"
check "proxy per-method: PUT status 500" 500 "$(curl -s -o /dev/null -w '%{http_code}' -T "$WORK/blob" "$purl/ac/12/blob")"
check "proxy per-method: HEAD passes" 200 "$(curl -s -o /dev/null -w '%{http_code}' -I "$purl/ac/12/blob")"
check "proxy log has a line per request" 11 "$(wc -l <"$P/proxy.log" | tr -d ' ')"
check "proxy log line" "GET /cache/ac/12/blob 200 flip" "$(grep -m1 ' flip$' "$P/proxy.log")"
rm -f "$P/proxy.mode"
kill -TERM "$(cat "$P/proxy.pid")"
for _ in $(seq 30); do kill -0 "$(cat "$P/proxy.pid")" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$(cat "$P/proxy.pid")" 2>/dev/null; then bad "fault_proxy ignored SIGTERM"; else ok "fault_proxy stops on SIGTERM"; fi
rm -f "$P/proxy.pid"

# --- redis ---
"$SERVERS" start redis "$WORK/redis"
url=$(cat "$WORK/redis/url") ro=$(cat "$WORK/redis/url.readonly")
check "redis SET" OK "$(redis-cli -u "$url" SET ac/12/blob hello)"
check "redis GET" hello "$(redis-cli -u "$url" GET ac/12/blob)"
check "redis read-only GET" hello "$(redis-cli --no-auth-warning -u "$ro" GET ac/12/blob)"
check "redis read-only STRLEN" 5 "$(redis-cli --no-auth-warning -u "$ro" STRLEN ac/12/blob)"
check "redis read-only EXISTS" 1 "$(redis-cli --no-auth-warning -u "$ro" EXISTS ac/12/blob)"
check "redis read-only GETRANGE" ell "$(redis-cli --no-auth-warning -u "$ro" GETRANGE ac/12/blob 1 3)"
check "redis read-only SET refused" NOPERM "$(redis-cli --no-auth-warning -u "$ro" SET ac/12/blob x 2>&1 | cut -d' ' -f1)"
check "redis read-only DEL refused" NOPERM "$(redis-cli --no-auth-warning -u "$ro" DEL ac/12/blob 2>&1 | cut -d' ' -f1)"

# --- s3 ---
start=$SECONDS
"$SERVERS" start s3 "$WORK/s3"
ok "s3 started in $((SECONDS - start)) s"
s3() { # s3 ENVFILE CURL_ARGS...: curl signed with the keys in ENVFILE
	local env=$1
	shift
	(
		# shellcheck disable=SC1090
		source "$env"
		curl -s --aws-sigv4 "aws:amz:$AWS_REGION:s3" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" "$@"
	)
}
check "s3 url" "s3://lintmux-test/cache" "$(cat "$WORK/s3/url")"
ep=$(source "$WORK/s3/env" && echo "$AWS_ENDPOINT_URL")/lintmux-test/cache
check "s3 PUT" 200 "$(s3 "$WORK/s3/env" -o /dev/null -w '%{http_code}' -T "$WORK/blob" "$ep/ac/12/blob")"
s3 "$WORK/s3/env" -o "$WORK/got" "$ep/ac/12/blob"
check "s3 GET returns what was PUT" "$SUM" "$(sum "$WORK/got")"
check "s3 HEAD" 200 "$(s3 "$WORK/s3/env" -o /dev/null -w '%{http_code}' -I "$ep/ac/12/blob")"
check "s3 GET missing" 404 "$(s3 "$WORK/s3/env" -o /dev/null -w '%{http_code}' "$ep/missing")"
s3 "$WORK/s3/env.readonly" -o "$WORK/got" "$ep/ac/12/blob"
check "s3 read-only GET" "$SUM" "$(sum "$WORK/got")"
check "s3 read-only PUT refused" 403 "$(s3 "$WORK/s3/env.readonly" -o /dev/null -w '%{http_code}' -T "$WORK/blob" "$ep/ac/12/other")"
check "s3 read-only DELETE refused" 403 "$(s3 "$WORK/s3/env.readonly" -o /dev/null -w '%{http_code}' -X DELETE "$ep/ac/12/blob")"
check "s3 unknown key refused" 403 "$(curl -s -o /dev/null -w '%{http_code}' --aws-sigv4 aws:amz:us-east-1:s3 --user nobody:nothing -T "$WORK/blob" "$ep/x")"

# --- stop ---
for kind in http redis s3; do
	pids=$(cat "$WORK/$kind"/*.pid)
	"$SERVERS" stop "$WORK/$kind"
	"$SERVERS" stop "$WORK/$kind"
	alive=
	for pid in $pids; do kill -0 "$pid" 2>/dev/null && alive+=" $pid"; done
	check "$kind stopped (twice)" "" "$alive"
done

echo "$passed passed, $failed failed"
((failed == 0))
