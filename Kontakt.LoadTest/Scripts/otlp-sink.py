#!/usr/bin/env python3
# A minimal OTLP/HTTP receiver for measuring what tracing costs (docs/benchmarks.md, "Settings tried"): it
# accepts every POST (traces, metrics) on 127.0.0.1:4318 with 200 and drops the body. Not a collector.
#   python3 Kontakt.LoadTest/Scripts/otlp-sink.py &
import http.server, sys
class Sink(http.server.BaseHTTPRequestHandler):
    total = 0
    def do_POST(self):
        n = int(self.headers.get('Content-Length', 0)); self.rfile.read(n); Sink.total += n
        self.send_response(200); self.send_header('Content-Type', 'application/x-protobuf'); self.send_header('Content-Length', '0'); self.end_headers()
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(('127.0.0.1', 4318), Sink).serve_forever()
