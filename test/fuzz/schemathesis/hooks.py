"""Schemathesis hooks for the Chorus Pro submission service (SCHEMATHESIS_HOOKS=hooks).

What a JSON Schema cannot say, so that positive data is really valid:
- `format: siret` draws 14 digits whose Luhn checksum holds (SIRETs of every shape, not only ours);
- a positive invoice names the connection of the stack under test (FUZZ_CONNECTION_ID): any other
  connection id is, rightly, refused as unknown;
- a positive list request carries no page token: tokens are signed opaque values bound to their
  query, a made-up one is refused (test/api covers paging);
- a positive attachment by reference names a file uploaded to this API (one is uploaded first):
  references are hashes of stored files, a made-up one is refused as unknown;
- a positive SIRET has a valid check digit, whichever phase drew it (the coverage phase draws
  from the pattern alone);
- a positive path id of an invoice names one of the invoices seeded for this run (FUZZ_INVOICE_IDS):
  a role that may not submit has no other way to reach one;
- a positive history request with a `runId` asks for `format=temporal` (the rule ties two
  parameters, which OpenAPI parameters cannot say; the document says it in words);
- every webhook URL is the stack's local receiver (FUZZ_WEBHOOK_URL): the stack posts to nothing else;
- a batch's invoices get the same fixes as a single invoice, a positive batch keeps at most three of
  them, and a positive batch id names the batch seeded for this run (FUZZ_BATCH_IDS).
"""

import itertools
import json
import os
import urllib.request

import schemathesis
from hypothesis import strategies as st

CONNECTION_ID = os.environ["FUZZ_CONNECTION_ID"]
WEBHOOK_URL = os.environ["FUZZ_WEBHOOK_URL"]


def _upload_one_file() -> str:
    request = urllib.request.Request(
        os.environ["FUZZ_API_URL"] + "/v1/uploads",
        data=b"%PDF-1.4\n% uploaded before fuzzing\n",
        headers={"Authorization": "Bearer " + os.environ["FUZZ_UPLOAD_KEY"], "Content-Type": "application/pdf"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["uploadRef"]


UPLOAD_REF = _upload_one_file()


def luhn_complete(first13: str) -> str:
    """The 14-digit SIRET whose last digit makes the Luhn sum a multiple of 10."""
    for check in "0123456789":
        digits = first13 + check
        total = 0
        for i, ch in enumerate(reversed(digits)):
            d = int(ch)
            if i % 2 == 1:
                d *= 2
                if d > 9:
                    d -= 9
            total += d
        if total % 10 == 0:
            return digits
    raise AssertionError("unreachable: one check digit always fits")


schemathesis.openapi.format("siret", st.from_regex(r"\A[0-9]{13}\Z").map(luhn_complete))


_numbers = (f"{os.getpid() % 10000:04d}-{n:08d}" for n in itertools.count(1))
INVOICE_IDS = [i for i in os.environ.get("FUZZ_INVOICE_IDS", "").split(",") if i]
BATCH_IDS = [i for i in os.environ.get("FUZZ_BATCH_IDS", "").split(",") if i]
BATCH_ITEMS = 3


def _fix_siret(container, key) -> None:
    value = container.get(key) if isinstance(container, dict) else None
    if isinstance(value, str) and len(value) == 14 and value.isascii() and value.isdigit():
        container[key] = luhn_complete(value[:13])


def _positive(case) -> bool:
    meta = case.meta
    return meta is None or meta.generation.mode.is_positive


def _is_http_url(value) -> bool:
    return isinstance(value, str) and value.lower().startswith(("http://", "https://"))


@schemathesis.hook
def before_call(context, case, kwargs):
    body = case.body
    route = (case.method.upper(), case.operation.path)
    if isinstance(body, dict):
        # Whatever else the body holds, the stack never posts to a host of the generator's choosing.
        if _is_http_url(body.get("webhookUrl")):
            body["webhookUrl"] = WEBHOOK_URL
        if route == ("POST", "/v1/invoices/validate") and _positive(case) and isinstance(body.get("connectionId"), str):
            body["connectionId"] = CONNECTION_ID
        if route == ("POST", "/v1/invoices") and _positive(case) and isinstance(body.get("connectionId"), str):
            body["connectionId"] = CONNECTION_ID
            # In sequences, a fresh number each time (a number reused with other content is, rightly,
            # a 409); single requests keep theirs, so they do not start a workflow each.
            if case.meta is not None and case.meta.phase.name == "stateful" and isinstance(body.get("invoiceNumber"), str):
                body["invoiceNumber"] = "ST-" + next(_numbers)
        if _positive(case) and isinstance(body.get("attachments"), list):
            for attachment in body["attachments"]:
                if isinstance(attachment, dict) and "uploadRef" in attachment:
                    attachment["uploadRef"] = UPLOAD_REF
    if isinstance(body, dict) and _positive(case):
        _fix_siret(body, "supplierSiret")
        _fix_siret(body.get("buyer"), "siret")
    params = case.path_parameters
    # A buyer's requirements are asked through the run's connection, for a SIRET with its check digit.
    if route == ("GET", "/v1/buyers/{siret}/requirements") and _positive(case):
        if isinstance(case.query, dict) and isinstance(case.query.get("connectionId"), str):
            case.query["connectionId"] = CONNECTION_ID
        if isinstance(params, dict):
            _fix_siret(params, "siret")
    if INVOICE_IDS and _positive(case) and case.operation.path.startswith("/v1/invoices/{id}") and isinstance(params, dict):
        if isinstance(params.get("id"), str) and params["id"] not in INVOICE_IDS:
            params["id"] = INVOICE_IDS[sum(map(ord, params["id"])) % len(INVOICE_IDS)]
    # runId names a run of the raw history: with it, valid data asks for format=temporal.
    if route == ("GET", "/v1/invoices/{id}/history") and _positive(case) and isinstance(case.query, dict):
        if "runId" in case.query:
            case.query["format"] = "temporal"
    if route == ("GET", "/v1/invoices") and _positive(case) and isinstance(case.query, dict):
        case.query.pop("pageToken", None)
    # A batch: each invoice as a single submission would be fixed; at most a few started per case
    # (a valid batch of 1,000 would start 1,000 workflows on the shared test server).
    if route == ("POST", "/v1/invoice-batches") and isinstance(body, dict) and isinstance(body.get("invoices"), list):
        if _positive(case):
            body["invoices"] = body["invoices"][:BATCH_ITEMS]
        for item in body["invoices"]:
            if not isinstance(item, dict):
                continue
            if _is_http_url(item.get("webhookUrl")):
                item["webhookUrl"] = WEBHOOK_URL
            if _positive(case):
                if isinstance(item.get("connectionId"), str):
                    item["connectionId"] = CONNECTION_ID
                if isinstance(item.get("attachments"), list):
                    for attachment in item["attachments"]:
                        if isinstance(attachment, dict) and "uploadRef" in attachment:
                            attachment["uploadRef"] = UPLOAD_REF
                _fix_siret(item, "supplierSiret")
                _fix_siret(item.get("buyer"), "siret")
    # A positive batch id names the batch seeded for this run (FUZZ_BATCH_IDS).
    if BATCH_IDS and _positive(case) and case.operation.path == "/v1/invoice-batches/{id}" and isinstance(params, dict):
        if isinstance(params.get("id"), str) and params["id"] not in BATCH_IDS:
            params["id"] = BATCH_IDS[sum(map(ord, params["id"])) % len(BATCH_IDS)]
