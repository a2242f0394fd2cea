#!/usr/bin/env bash
# Build, push and roll out the inventory service.
#
# Usage: scripts/deploy.sh [staging|production]
set -euo pipefail

ENVIRONMENT="${1:-staging}"
REGISTRY="${REGISTRY:-registry.example.com/inventory}"
SSH_USER="${SSH_USER:-deploy}"

cd $(dirname "$0")/..

VERSION=`git describe --tags --always --dirty`
IMAGE="$REGISTRY:$VERSION"

if [[ "$ENVIRONMENT" != "staging" && "$ENVIRONMENT" != "production" ]]; then
    echo "unknown environment: $ENVIRONMENT" >&2
    exit 2
fi

echo "==> building $IMAGE"
docker build --pull -t $IMAGE .
docker push "$IMAGE"

echo "==> deploying to $ENVIRONMENT"
while read -r host; do
    [[ -z "$host" || "$host" == \#* ]] && continue
    echo "    $host"
    ssh -n "$SSH_USER@$host" docker pull "$IMAGE"
    ssh -n "$SSH_USER@$host" env IMAGE="$IMAGE" docker compose up -d --remove-orphans
done < "deploy/hosts-$ENVIRONMENT.txt"

echo "==> done"
