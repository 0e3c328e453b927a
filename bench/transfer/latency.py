"""Requests URL back to back for SECONDS and prints the median and p95 latency in ms."""
import statistics, sys, time, urllib.request
url, seconds = sys.argv[1], float(sys.argv[2])
samples, end = [], time.monotonic() + seconds
while time.monotonic() < end:
    start = time.monotonic()
    with urllib.request.urlopen(url) as r:
        r.read()
    samples.append((time.monotonic() - start) * 1000)
samples.sort()
print(f"{statistics.median(samples):.2f} {samples[int(len(samples) * 0.95)]:.2f} {len(samples)}")
