"""Prepares N signed-in sessions for bench/load.sh directly in the service's SQLite file: rows as SqliteSessionStore
writes them, and for each a session cookie as SessionTokens issues it (HS256 JWT, kid = base64url of the first 8
bytes of SHA-256 of the key, iss = the public origin, aud = Session__Audience, sid = the row's id), with the user a
sign-in without a policy hook stores (DerivedUserIds: "u_" and HMAC-SHA256 of the address under a key derived from
the signing key by HKDF, no roles, no claims). Each row's
last_seen_at lies somewhere in the last LastSeenWriteIntervalSeconds (60 s), as in a steady state where the service
writes last-seen for about N/60 sessions a second. Writes one cookie value a line to OUT_FILE. Bounded: N rows, one
transaction.
Usage: python3 prepare_sessions.py DB_FILE SIGNING_KEY_BASE64 ISSUER N OUT_FILE [AUDIENCE=passwordless-bff]
"""
import base64
import hashlib
import hmac
import json
import os
import random
import sqlite3
import sys
import time


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def derived_user_id_key(signing_key):
    # HKDF-SHA256 as .NET's HKDF.DeriveKey(SHA256, key, 32, info: "PasswordlessBff.UserId.v1"): no salt, one block.
    prk = hmac.new(b"\0" * 32, signing_key, hashlib.sha256).digest()
    return hmac.new(prk, b"PasswordlessBff.UserId.v1\x01", hashlib.sha256).digest()


def main():
    db, key_text, issuer, n, out = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
    audience = sys.argv[6] if len(sys.argv) > 6 else "passwordless-bff"
    if n > 1_000_000:
        sys.exit("at most 1,000,000 sessions")
    key = base64.b64decode(key_text)
    user_key = derived_user_id_key(key)
    header = b64url(json.dumps({"alg": "HS256", "kid": b64url(hashlib.sha256(key).digest()[:8]), "typ": "JWT"},
                               separators=(",", ":")).encode())
    now_ms = int(time.time() * 1000)
    absolute_ms = now_ms + 12 * 3600 * 1000
    rows, cookies = [], []
    for i in range(n):
        sid = b64url(os.urandom(16))
        email = f"bench-session-{i}@example.com"
        user_id = "u_" + b64url(hmac.new(user_key, email.encode(), hashlib.sha256).digest()[:16])
        rows.append((sid, email, "/", "wrk", now_ms - 60_000, absolute_ms, now_ms - random.randint(0, 59_000), user_id))
        payload = b64url(json.dumps({"iss": issuer, "aud": audience, "iat": now_ms // 1000, "nbf": now_ms // 1000,
                                     "exp": absolute_ms // 1000, "sid": sid}, separators=(",", ":")).encode())
        signed = f"{header}.{payload}"
        cookies.append(f"{signed}.{b64url(hmac.new(key, signed.encode(), hashlib.sha256).digest())}")
    connection = sqlite3.connect(db, timeout=30)
    with connection:
        connection.executemany("""
            INSERT INTO sessions (id, email, return_to, device, created_at, absolute_expires_at, last_seen_at, revoked_at,
                                  user_id, roles, claims)
            VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, '[]', '{}')""", rows)
    connection.close()
    with open(out, "w") as f:
        f.write("\n".join(cookies) + "\n")
    print(f"{n} sessions prepared in {db}", file=sys.stderr)


if __name__ == "__main__":
    main()
