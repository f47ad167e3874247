#!/bin/sh
# Registers the custom search attributes the workflows upsert (keep in sync with workflows/search-attributes.ts;
# test/deploy/compose.test.ts checks it) and sets the namespace retention on purpose (TEMPORAL_RETENTION, 30 days:
# the app archives every closed run before that). Re-running is harmless: existing attributes are skipped.
set -u
ADDRESS="${TEMPORAL_ADDRESS:-temporal:7233}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
RETENTION="${TEMPORAL_RETENTION:-720h}"
temporal operator namespace update --address "$ADDRESS" --namespace "$NAMESPACE" --retention "$RETENTION"
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
  if temporal operator search-attribute list --address "$ADDRESS" --namespace "$NAMESPACE" | grep -qw "$name"; then
    echo "search attribute $name already registered"
  else
    temporal operator search-attribute create --address "$ADDRESS" --namespace "$NAMESPACE" --name "$name" --type "$type" --yes
  fi
done
