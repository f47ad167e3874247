"""Submit an invoice to the Chorus Pro submission service, answer its task, and follow it.

Runs against `./run start` (development keys) with nothing but `requests`:

    python3 -m pip install requests
    python3 docs/examples/submit_invoice.py

Settings (environment): API_URL (http://127.0.0.1:3000), API_KEY_SYSTEM, API_KEY_STAFF (the development
keys by default), CONNECTION_ID (demo), BUYER_SIRET (11000000000031, a buyer that requires an engagement
number), ENGAGEMENT_NUMBER (EJ-2026-000123), WAIT_FOR (PAID; empty: stop once the task is answered).
"""

import os
import sys
import time
import uuid
from urllib.parse import quote

import requests

API = os.environ.get("API_URL", "http://127.0.0.1:3000").rstrip("/")
SYSTEM = {"Authorization": "Bearer " + os.environ.get("API_KEY_SYSTEM", "dev-key-system")}
STAFF = {
    "Authorization": "Bearer " + os.environ.get("API_KEY_STAFF", "dev-key-staff"),
    "X-Acting-User": "python-example",
}
WAIT_FOR = os.environ.get("WAIT_FOR", "PAID")


def call(method, path, headers, **kwargs):
    response = requests.request(method, API + path, headers=headers, timeout=30, **kwargs)
    if response.status_code >= 400:
        # Every refusal says why: {"error": {"code", "message", "fields"?}}
        sys.exit(f"{method} {path}: HTTP {response.status_code} {response.json()['error']}")
    return response.json()


def wait(invoice_path, ready, what, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        invoice = call("GET", invoice_path, SYSTEM)
        if ready(invoice):
            return invoice
        time.sleep(1)
    sys.exit(f"{what} not reached; last status {invoice['status']}")


invoice = {
    "connectionId": os.environ.get("CONNECTION_ID", "demo"),
    "invoiceNumber": "PY-" + uuid.uuid4().hex[:8].upper(),
    "issueDate": time.strftime("%Y-%m-%d"),
    "buyer": {"siret": os.environ.get("BUYER_SIRET", "11000000000031")},
    "billingFrame": "A1",
    "vatRegime": "TVA_SUR_DEBIT",
    "paymentMode": "VIREMENT",
    # Amounts are decimal strings (or {"cents": n}), never JSON floats.
    "lines": [{"description": "Maintenance", "quantity": "2", "unitPriceExclVat": "150.00", "vatRatePercent": "20"}],
}
accepted = call("POST", "/v1/invoices", SYSTEM, json=invoice)
print("submitted", accepted["id"], accepted["status"])
invoice_path = "/v1/invoices/" + quote(accepted["id"], safe="")

waiting = wait(invoice_path, lambda i: i.get("openTask") or i["status"] not in ("RECEIVED", "CHECKING"), "a task")
task = waiting.get("openTask")
if task:
    for field in task["fields"]:
        print("task asks for", field["field"], "-", field["why"])
    answer = {"taskId": task["id"], "values": {"references.engagementNumber": os.environ.get("ENGAGEMENT_NUMBER", "EJ-2026-000123")}}
    print("answered:", call("POST", invoice_path + "/task", STAFF, json=answer))

if WAIT_FOR:
    done = wait(invoice_path, lambda i: i["status"] == WAIT_FOR, WAIT_FOR, seconds=300)
    print(done["status"], done.get("chorusStatus"), "Chorus invoice", done.get("chorusInvoiceId"))
