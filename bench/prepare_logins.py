"""Starts N real logins for the verify benchmark: POST /api/auth/send to capture-verify-<i>@example.com, then pairs
each authRequestId with the code the SMTP sink captured. Writes "<authRequestId> <code>" lines.
Bounded: N requests, and at most TIMEOUT seconds waiting for the mail.
Usage: python3 prepare_logins.py BASE_URL N CAPTURE_FILE OUT_FILE [TIMEOUT=60]
"""
import http.client
import json
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor


def send_range(base, indices, prefix):
    url = urllib.parse.urlparse(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    ids = {}
    for i in indices:
        address = f"{prefix}{i}@example.com"
        body = json.dumps({"email": address})
        connection.request("POST", "/api/auth/send", body,
                           {"Content-Type": "application/json", "X-CSRF": "1"})
        response = connection.getresponse()
        payload = response.read()
        if response.status == 200:
            ids[address] = json.loads(payload)["authRequestId"]
    connection.close()
    return ids


def main():
    base, n, capture, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    timeout = float(sys.argv[5]) if len(sys.argv) > 5 else 60
    prefix = f"capture-verify-{int(time.time())}-"
    workers = 8
    with ThreadPoolExecutor(workers) as pool:
        parts = pool.map(lambda w: send_range(base, range(w, n, workers), prefix), range(workers))
    ids = {}
    for part in parts:
        ids.update(part)
    deadline = time.monotonic() + timeout
    codes = {}
    while time.monotonic() < deadline:
        with open(capture) as f:
            for line in f:
                address, code = line.split()
                if address in ids:
                    codes[address] = code
        if len(codes) >= len(ids):
            break
        time.sleep(0.5)
    with open(out, "w") as f:
        for address, code in codes.items():
            f.write(f"{ids[address]} {code}\n")
    print(f"{len(codes)} logins ready ({n} sent, {len(ids)} accepted)", file=sys.stderr)


if __name__ == "__main__":
    main()
