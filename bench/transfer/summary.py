"""Prints what issue 12's backup aim is judged on, from bench/transfer/run.sh's rounds and backup log.

Arguments: ROUNDS BACKUPS BYTES [LABEL].
rounds: one line per measurement, "ROUND alone|during LOAD P50 P99 REQUESTS/S BACKUPS" (wrk's units: us, ms, s).
backups: "backed up ... in S s at --pace P (rested R s)" and "time WALL USER SYS" lines of each finished backup.
"""
import re, statistics, sys

UNITS = {"us": 1, "ms": 1e3, "s": 1e6}


def micros(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * UNITS[unit]


rounds = {}
loads = []
ran = 0
for line in open(sys.argv[1]):
    n, kind, load, p50, p99, rps, finished = line.split()
    ran += int(finished)
    rounds.setdefault(n, {})[kind] = (micros(p50), micros(p99), float(rps))
    loads.append(float(load))
paired = [r for r in rounds.values() if "alone" in r and "during" in r]
if not paired:
    sys.exit("no paired rounds")
median = statistics.median
label = sys.argv[4] if len(sys.argv) > 4 else ""
print(f"issue 12 aim, {label}: a backup adds no more than 10 % to page latency while it runs "
      f"({len(paired)} paired rounds, load {min(loads):.2f}-{max(loads):.2f})")
for i, (name, unit, scale) in enumerate([("page p50", "us", 1), ("page p99", "ms", 1e3), ("requests/s", "", None)]):
    alone = [r["alone"][i] for r in paired]
    during = [r["during"][i] for r in paired]
    changes = [100 * (d / a - 1) for a, d in zip(alone, during)]
    show = (lambda v: f"{v:,.0f}") if scale is None else (lambda v, s=scale, u=unit: f"{v / s:,.{0 if u == 'us' else 2}f} {u}")
    of_medians = 100 * (median(during) / median(alone) - 1)
    # Met only when both ways of reading the rounds agree, and only when backups really ran during them.
    verdict = "" if scale is None else (" -> no backup finished: not a measurement" if not ran
                                        else " -> met" if max(of_medians, median(changes)) <= 10 else " -> NOT met")
    print(f"  {name:10}  alone {show(median(alone)):>10}  during backups {show(median(during)):>10}  "
          f"change of the medians {of_medians:+.1f} %, median of the paired changes "
          f"{median(changes):+.1f} % (each round: {', '.join(f'{c:+.0f}' for c in changes)}){verdict}")

durations, cpus, rested, held, paces = [], [], [], [], set()
for line in open(sys.argv[2]):
    if m := re.match(r"backed up .* in ([\d.]+) s at --pace (\d+) \(rested ([\d.]+) s; uploads held off ([\d.]+) s\)", line):
        durations.append(float(m[1])); paces.add(m[2]); rested.append(float(m[3])); held.append(float(m[4]))
    elif line.startswith("time "):
        wall, user, system = map(float, line.split()[1:])
        cpus.append(user + system)
if not durations:
    print("  backups during the rounds: none finished (the CPU was never idle for them: the idle class waits for a free core)")
else:
    size = int(sys.argv[3])
    d = median(durations)
    print(f"  backups during the rounds: {len(durations)} finished at --pace {'/'.join(sorted(paces))}, median {d:.1f} s "
          f"({size / d / 1e6:,.0f} MB/s of file data, rested {median(rested):.1f} s of it, uploads held off {median(held):.2f} s), "
          f"CPU user+sys median {median(cpus):.2f} s per backup (process start included)")
