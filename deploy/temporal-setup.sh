#!/bin/sh
# One-shot, once the Temporal server answers: the namespace with an explicit retention, and the custom
# search attributes the workflows upsert (keep in sync with workflows/contracts/search-attributes.ts;
# test/deploy/compose.test.ts checks it). Safe to re-run: an existing namespace gets the retention
# again, existing attributes are skipped.
#   compose: the temporal-setup service (temporalio/admin-tools); ./run production-check runs it natively.
#   On a cluster of your own: TEMPORAL_ADDRESS=… TEMPORAL_NAMESPACE=… sh deploy/temporal-setup.sh
# The temporal CLI reads the connection from TEMPORAL_ADDRESS and, for TLS, mTLS or an API key, the
# same TEMPORAL_TLS_* / TEMPORAL_API_KEY variables as the service.
set -eu
TEMPORAL="${TEMPORAL_CLI:-temporal}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
# TEMPORAL_RETENTION as the service writes it ("30 days") or as the CLI does ("30d", "720h").
RETENTION="${TEMPORAL_RETENTION:-30d}"
case "$RETENTION" in
  *" day" | *" days") RETENTION="${RETENTION%% *}d" ;;
  *" hour" | *" hours") RETENTION="${RETENTION%% *}h" ;;
esac
export TEMPORAL_ADDRESS="${TEMPORAL_ADDRESS:-temporal:7233}"

attempt=0
until "$TEMPORAL" operator cluster health >/dev/null 2>&1; do
  attempt=$((attempt + 1))
  if [ "$attempt" -ge "${TEMPORAL_SETUP_ATTEMPTS:-60}" ]; then
    echo "temporal-setup: Temporal at $TEMPORAL_ADDRESS is not serving; giving up" >&2
    "$TEMPORAL" operator cluster health >&2 || true
    exit 1
  fi
  sleep 2
done

if "$TEMPORAL" operator namespace describe --namespace "$NAMESPACE" >/dev/null 2>&1; then
  "$TEMPORAL" operator namespace update --namespace "$NAMESPACE" --retention "$RETENTION"
  echo "temporal-setup: namespace $NAMESPACE kept, retention $RETENTION"
else
  "$TEMPORAL" operator namespace create --namespace "$NAMESPACE" --retention "$RETENTION"
  echo "temporal-setup: namespace $NAMESPACE created, retention $RETENTION"
fi

# The namespace may take a moment to be visible to every frontend.
attempt=0
until "$TEMPORAL" operator search-attribute list --namespace "$NAMESPACE" >/dev/null 2>&1; do
  attempt=$((attempt + 1))
  [ "$attempt" -lt 30 ] || { echo "temporal-setup: namespace $NAMESPACE not ready" >&2; exit 1; }
  sleep 1
done

registered="$("$TEMPORAL" operator search-attribute list --namespace "$NAMESPACE")"
for attribute in \
  InvoiceStatus=Keyword \
  ChorusStatus=Keyword \
  ConnectionId=Keyword \
  SupplierSiret=Keyword \
  BuyerSiret=Keyword \
  InvoiceNumber=Keyword \
  HasOpenTask=Bool \
  ConnectionStatus=Keyword; do
  name="${attribute%%=*}"
  type="${attribute#*=}"
  if printf '%s\n' "$registered" | grep -qw "$name"; then
    echo "temporal-setup: search attribute $name already registered"
  else
    "$TEMPORAL" operator search-attribute create --namespace "$NAMESPACE" --name "$name" --type "$type"
  fi
done
echo "temporal-setup: done"
