#!/usr/bin/env python3
"""The shape of a load-test run from its report.json: does it slow down as it goes, and do p99 spikes stand out?

Prints, per report: mean records/s over seconds 10-20 and over the last 10 full seconds while every client
was still busy (in flight >= 97% of the concurrency), their ratio (issue 15: >= 0.90), and the highest
per-second p99 against the median per-second p99 after the first 5 s (issue 15: <= 3x).
    python3 Kontakt.LoadTest/Scripts/run-shape.py Kontakt.LoadTest/reports/*/report.json
"""
import json
import os
import statistics
import sys

for path in sys.argv[1:]:
    report = json.load(open(path))
    concurrency = report["settings"].get("concurrency", 512)
    seconds = [s for s in report["series"] if s["intervalSeconds"] > 0.9 and s["inFlight"] >= 0.97 * concurrency]
    early = [s["recordsPerSecond"] for s in seconds if 10 < s["second"] <= 20]
    late = [s["recordsPerSecond"] for s in seconds[-10:]]
    # A sample's "second" is when its interval ended: the first 5 s are the samples that began before 5 s.
    p99 = [s["p99Ms"] for s in seconds if s["second"] - s["intervalSeconds"] >= 5 - 0.01]
    if not early or not late or not p99:
        print(f"{path}: too short to judge")
        continue
    name = os.path.basename(os.path.dirname(os.path.abspath(path)))
    print(f"{name}: seconds 10-20 {statistics.mean(early):,.0f}/s, last 10 s {statistics.mean(late):,.0f}/s "
          f"= {statistics.mean(late) / statistics.mean(early):.2f} | per-second p99 median {statistics.median(p99):.0f} ms, "
          f"highest {max(p99):.0f} ms = {max(p99) / statistics.median(p99):.1f}x the median")
