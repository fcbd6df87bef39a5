#!/usr/bin/env python3
"""Send answer time with the sign-in policy hook configured vs without, interleaved.

Started by bench/policy.sh with the published app's path. Runs an SMTP sink and a hook on free 127.0.0.1 ports (the
hook verifies each signature, HMAC-SHA256 over "{id}.{timestamp}.{body}", and answers allow after 50 ms, so a hook on
the request path would show), starts two instances of the service (one with Policy__Hook__Url, one without), warms
both up, then times N sends per instance, one at a time over one keep-alive connection each, in random order.
"""
import base64, hashlib, hmac, http.client, http.server, json, os, random, socket, socketserver, statistics, subprocess, sys, tempfile, threading, time

app_dll, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1000
secret_bytes = os.urandom(32)
secret = "whsec_" + base64.b64encode(secret_bytes).decode()
hook_calls = {"ok": 0, "bad": 0}
lock = threading.Lock()


class Smtp(socketserver.StreamRequestHandler):
    def handle(self):
        self.wfile.write(b"220 sink\r\n")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self.wfile.write(b"250-sink\r\n250 8BITMIME\r\n")
            elif verb == b"DATA":
                self.wfile.write(b"354 go\r\n")
                while self.rfile.readline() not in (b".\r\n", b""):
                    pass
                self.wfile.write(b"250 queued\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


class Hook(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        signed = f"{self.headers['webhook-id']}.{self.headers['webhook-timestamp']}.".encode() + body
        expected = "v1," + base64.b64encode(hmac.new(secret_bytes, signed, hashlib.sha256).digest()).decode()
        good = hmac.compare_digest(expected, self.headers.get("webhook-signature", ""))
        with lock:
            hook_calls["ok" if good else "bad"] += 1
        time.sleep(0.05)
        answer = b'{"decision":"allow"}' if good else b'{"decision":"deny"}'
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the service stopped at the end of the run while this email was still being decided

    def log_message(self, *args):
        pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


socketserver.ThreadingTCPServer.allow_reuse_address = True
smtp = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Smtp)
smtp.daemon_threads = True
hook = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
hook.daemon_threads = True
for server in (smtp, hook):
    threading.Thread(target=server.serve_forever, daemon=True).start()
work = tempfile.mkdtemp()


def start(name, extra):
    port = free_port()
    env = dict(os.environ,
               ASPNETCORE_ENVIRONMENT="Production", ASPNETCORE_URLS=f"http://127.0.0.1:{port}",
               Logging__LogLevel__Default="Warning",
               Session__SigningKey=base64.b64encode(os.urandom(32)).decode(),
               Passwordless__PublicBaseUrl=f"http://127.0.0.1:{port}",
               Storage__Sqlite__Path=os.path.join(work, f"{name}.db"),
               Email__Smtp__Host="127.0.0.1", Email__Smtp__Port=str(smtp.server_address[1]), Email__Smtp__Security="None",
               Email__From="Bench <bench@example.com>", Email__QueueCapacity="100000",
               # Per-client limits out of the way: every request comes from 127.0.0.1.
               RateLimits__SendPerMinute="1000000", RateLimits__VerifyPerMinute="1000000", **extra)
    process = subprocess.Popen(["dotnet", app_dll], env=env, stdout=open(os.path.join(work, f"{name}.log"), "w"), stderr=subprocess.STDOUT)
    for _ in range(150):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/healthz")
            if conn.getresponse().read() is not None:
                return process, conn
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"{name} did not start:\n" + open(os.path.join(work, f"{name}.log")).read()[-3000:])


instances = {}
try:
    instances["without hook"] = start("plain", {})
    instances["with hook"] = start("hooked", {"Policy__Hook__Url": f"http://127.0.0.1:{hook.server_address[1]}/signin",
                                              "Policy__Hook__Secret": secret})

    def send(conn, address):
        started = time.perf_counter_ns()
        conn.request("POST", "/api/auth/send", json.dumps({"email": address}), {"Content-Type": "application/json", "X-CSRF": "1"})
        response = conn.getresponse()
        payload = response.read()
        assert response.status == 200, (response.status, payload)
        return (time.perf_counter_ns() - started) / 1e6

    run = random.randrange(1 << 30)
    for i in range(200):  # warm-up: JIT, pools, SMTP and hook connections
        for name, (_, conn) in instances.items():
            send(conn, f"warmup-{run}-{i}-{name[:4]}@example.com")
    times = {name: [] for name in instances}
    for i in range(n):
        order = list(instances)
        random.shuffle(order)
        for name in order:
            times[name].append(send(instances[name][1], f"bench-{run}-{i}-{name[:4]}@example.com"))

    def pct(values, p):
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    time.sleep(2)
    print(f"sends per instance: {n}, interleaved, sequential over one keep-alive connection each, SQLite store; "
          f"the hook answers after 50 ms")
    for name, v in times.items():
        print(f"{name:13} p50 {pct(v, 50):6.2f} ms   p95 {pct(v, 95):6.2f} ms   mean {statistics.mean(v):6.2f} ms")
    diff = pct(times["with hook"], 50) - pct(times["without hook"], 50)
    print(f"p50 difference (with - without): {diff:+.2f} ms ({'within' if abs(diff) < 1 else 'OVER'} the 1 ms target)")
    print(f"hook calls so far: {hook_calls['ok']} verified, {hook_calls['bad']} with a bad signature")
finally:
    for process, _ in instances.values():
        process.terminate()
        process.wait(timeout=20)
    smtp.shutdown()
    hook.shutdown()
