#!/usr/bin/env python3
"""Send latency for addresses that have signed in before ("known") vs never-seen ones, interleaved.

Started by bench/enumeration.sh with the published app's path. Runs its own SMTP sink on a free 127.0.0.1 port,
starts the service (Production, SQLite in a temp dir, per-client limits set out of the way), signs in the known
addresses for real, then times N sends per group, one at a time over one keep-alive connection.
"""
import email, http.client, json, os, random, re, socket, socketserver, statistics, subprocess, sys, tempfile, threading, time, base64

app_dll, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1000
mail = {}  # recipient -> list of plain-text bodies
mail_lock = threading.Condition()


class Smtp(socketserver.StreamRequestHandler):
    def handle(self):
        self.wfile.write(b"220 sink\r\n")
        rcpts = []
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self.wfile.write(b"250-sink\r\n250 8BITMIME\r\n")
            elif verb == b"RCPT":
                rcpts.append(re.search(rb"<([^>]*)>", line).group(1).decode().lower())
                self.wfile.write(b"250 ok\r\n")
            elif verb == b"DATA":
                self.wfile.write(b"354 go\r\n")
                data = bytearray()
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                message = email.message_from_bytes(bytes(data))
                text = next((p.get_payload(decode=True).decode() for p in message.walk() if p.get_content_type() == "text/plain"), "")
                with mail_lock:
                    for r in rcpts:
                        mail.setdefault(r, []).append(text)
                    mail_lock.notify_all()
                rcpts = []
                self.wfile.write(b"250 queued\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


socketserver.ThreadingTCPServer.allow_reuse_address = True
smtp = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Smtp)
smtp.daemon_threads = True
threading.Thread(target=smtp.serve_forever, daemon=True).start()
port = free_port()
work = tempfile.mkdtemp()
env = dict(os.environ,
           ASPNETCORE_ENVIRONMENT="Production", ASPNETCORE_URLS=f"http://127.0.0.1:{port}",
           Logging__LogLevel__Default="Warning",
           Session__SigningKey=base64.b64encode(os.urandom(32)).decode(),
           Passwordless__PublicBaseUrl=f"http://127.0.0.1:{port}",
           Storage__Sqlite__Path=os.path.join(work, "bench.db"),
           Email__Smtp__Host="127.0.0.1", Email__Smtp__Port=str(smtp.server_address[1]), Email__Smtp__Security="None",
           Email__From="Bench <bench@example.com>",
           # Per-client limits out of the way: every request comes from 127.0.0.1.
           RateLimits__SendPerMinute="100000000", RateLimits__VerifyPerMinute="100000000")
app = subprocess.Popen(["dotnet", app_dll], env=env, stdout=open(os.path.join(work, "app.log"), "w"), stderr=subprocess.STDOUT)
try:
    conn = None
    for _ in range(150):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/readyz")
            if conn.getresponse().read() and True:
                break
        except OSError:
            time.sleep(0.2)

    def post(path, body):
        started = time.perf_counter_ns()
        conn.request("POST", path, json.dumps(body), {"Content-Type": "application/json", "X-CSRF": "1"})
        response = conn.getresponse()
        payload = response.read()
        return response.status, payload, (time.perf_counter_ns() - started) / 1e6

    def wait_mail(address, count):
        with mail_lock:
            mail_lock.wait_for(lambda: len(mail.get(address, [])) >= count, timeout=10)
            return mail[address][count - 1]

    run = random.randrange(1 << 30)
    for i in range(200):  # warm-up: JIT, pools, SMTP connections
        post("/api/auth/send", {"email": f"warmup-{run}-{i}@example.com"})

    known = [f"known-{run}-{i}@example.com" for i in range(n)]
    for address in known:
        status, payload, _ = post("/api/auth/send", {"email": address})
        code = re.search(r"(?m)^(\d{6})\r?$", wait_mail(address, 1)).group(1)
        status, payload, _ = post("/api/auth/verify", {"code": code, "authRequestId": json.loads(payload)["authRequestId"]})
        assert status == 200, (status, payload)

    unknown = [f"unknown-{run}-{i}@example.com" for i in range(n)]
    times = {"known": [], "unknown": []}
    shapes = set()
    for k, u in zip(known, unknown):
        pair = [("known", k), ("unknown", u)]
        random.shuffle(pair)
        for group, address in pair:
            status, payload, ms = post("/api/auth/send", {"email": address})
            assert status == 200, (group, status, payload)
            shapes.add((status, tuple(sorted(json.loads(payload)))))
            times[group].append(ms)

    def pct(values, p):
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    print(f"requests per group: {n}, interleaved, sequential over one keep-alive connection, SQLite store")
    print(f"answers: {len(shapes)} distinct status/body shape(s): {sorted(shapes)}")
    for group in ("known", "unknown"):
        v = times[group]
        print(f"{group:8} p50 {pct(v, 50):6.2f} ms   p95 {pct(v, 95):6.2f} ms   mean {statistics.mean(v):6.2f} ms")
    diff = abs(pct(times["known"], 50) - pct(times["unknown"], 50))
    print(f"p50 difference: {diff:.2f} ms ({'within' if diff < 5 else 'OVER'} the 5 ms target)")
finally:
    app.terminate()
    app.wait(timeout=20)
    smtp.shutdown()
