"""Event-rule throughput (issue 11): N small FTP uploads from C clients into a folder, once without
and once with a webhook rule; the webhook receiver records when each path arrives.
Prints the upload rates, how many events arrived, the delivery rate and the p95 from upload reply
to webhook arrival. Usage (bench/events.sh starts the jar): events.py rest-base ftp-port files clients
(the receiver is this script again, in a process of its own: events.py --receiver arrivals-file)"""
import base64, ftplib, io, json, os, subprocess, sys, tempfile, threading, time, urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

if sys.argv[1] == "--receiver":
    # The webhook receiver runs in a process of its own: in the uploaders' process it would share their
    # interpreter lock, and every request it served would slow the uploads down (and itself).
    # It prints its port, then one line per request: the path it got and when (CLOCK_MONOTONIC, shared by processes).
    out = open(sys.argv[2], "w", buffering=1)
    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            out.write("%s %.6f\n" % (json.loads(body)["path"], time.monotonic()))
            self.send_response(204); self.end_headers()
        def log_message(self, *a):
            pass
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    print(server.server_port, flush=True)
    server.serve_forever()

rest, ftp_port, files, clients = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
auth = "Basic " + base64.b64encode(b"admin:bench-admin-pw").decode()
arrivals_file = tempfile.NamedTemporaryFile(prefix="events-arrivals-", delete=False).name
receiver = subprocess.Popen([sys.executable, __file__, "--receiver", arrivals_file], stdout=subprocess.PIPE, text=True)
receiver_port = int(receiver.stdout.readline())

def arrivals():
    arrived = {}
    with open(arrivals_file) as f:
        for line in f:
            if line.endswith("\n"):
                path, t = line.split(" ")
                arrived.setdefault(path, []).append(float(t))
    return arrived

def api(method, path, body=None):
    req = urllib.request.Request(rest + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": auth, "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"null")

def upload_all(prefix, count=files):
    replied = {}
    payload = b"x" * 1024
    def client(n):
        ftp = ftplib.FTP(); ftp.connect("127.0.0.1", ftp_port); ftp.login("benchftp", "bench-password-1")
        for i in range(n, count, clients):
            name = "/%s-%05d.dat" % (prefix, i)
            ftp.storbinary("STOR " + name, io.BytesIO(payload))
            replied[name] = time.monotonic()
        ftp.quit()
    start = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads: t.start()
    for t in threads: t.join()
    return start, time.monotonic(), replied

def wait_for(prefix, n):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and sum(1 for p in arrivals() if p.startswith("/" + prefix)) < n:
        time.sleep(0.1)

# warm-up (JIT, connection pools, H2 pages): a tenth of the uploads through a webhook rule, not measured
warm = api("POST", "/api/v1/event-rules", {"name": "bench-warm-up", "events": ["FILE_UPLOADED"], "filter": {"folder": "bench", "pathGlob": "/warm-*"},
            "actions": [{"type": "WEBHOOK", "url": "http://127.0.0.1:%d/hook" % receiver_port, "secret": "bench-secret"}]})
upload_all("warm", files // 10)
wait_for("warm", files // 10)
api("DELETE", "/api/v1/event-rules/%d" % warm["id"])

s0, e0, _ = upload_all("plain")
base_rate = files / (e0 - s0)
rule = api("POST", "/api/v1/event-rules", {"name": "bench-hook", "events": ["FILE_UPLOADED"], "filter": {"folder": "bench", "pathGlob": "/hook-*"},
            "actions": [{"type": "WEBHOOK", "url": "http://127.0.0.1:%d/hook" % receiver_port, "secret": "bench-secret"}]})
s1, e1, replied = upload_all("hook")
rule_rate = files / (e1 - s1)
wait_for("hook", files)
arrived = {p: t for p, t in arrivals().items() if p.startswith("/hook-")}
receiver.terminate()
os.unlink(arrivals_file)
got = {p: t for p, t in arrived.items() if p in replied}
dups = sum(len(t) - 1 for t in arrived.values())
last = max(t[0] for t in got.values()) if got else e1
lat = sorted(got[p][0] - replied[p] for p in got)
p95 = lat[int(len(lat) * 0.95) - 1] if lat else float("nan")
print("uploads without rule: %.0f/s, with rule: %.0f/s (ratio %.2f, goal >= 0.9)" % (base_rate, rule_rate, rule_rate / base_rate))
print("events delivered: %d of %d, duplicates %d (goal: all, duplicates only after a failed attempt)" % (len(got), files, dups))
print("delivery rate: %.0f/s = %.2f x upload rate (goal >= 0.8)" % (len(got) / (last - s1), (len(got) / (last - s1)) / rule_rate))
print("upload reply -> webhook arrival: p50 %.3f s, p95 %.3f s (goal p95 <= 1 s)" % (lat[len(lat) // 2], p95))
api("DELETE", "/api/v1/event-rules/%d" % rule["id"])
