#!/usr/bin/env python3
"""scripts/bench/sample-rss.py PID OUT — memory of one process over one benchmark step.

Reads /proc/PID/status every 100 ms (on a fixed cadence, not drifting) until it gets
SIGTERM or SIGINT or PID exits, then writes one line to OUT:
    <peak RssAnon kB> <peak VmRSS kB> <samples>
It creates OUT.ready after its first sample, so run.sh starts the timed step only once
the sampler is loaded and running (its own start-up must not compete with the step).
"""
import os
import signal
import sys
import time

INTERVAL_S = 0.1


def read_status(pid):
    """{field: kB} for the fields we sample, or None when the process is gone."""
    try:
        with open("/proc/%d/status" % pid) as f:
            out = {}
            for line in f:
                key, _, rest = line.partition(":")
                if key in ("RssAnon", "VmRSS"):
                    out[key] = int(rest.split()[0])
            return out
    except (FileNotFoundError, ProcessLookupError):
        return None


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    pid, out = int(argv[1]), argv[2]
    peak_anon = peak_rss = samples = 0
    stop = False

    def on_signal(_signum, _frame):
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    def sample():
        nonlocal peak_anon, peak_rss, samples
        st = read_status(pid)
        if st is None:
            return False
        peak_anon = max(peak_anon, st.get("RssAnon", 0))
        peak_rss = max(peak_rss, st.get("VmRSS", 0))
        samples += 1
        return True

    alive = sample()
    with open(out + ".ready", "w"):
        pass
    deadline = time.monotonic()
    while alive and not stop:
        deadline += INTERVAL_S
        delay = deadline - time.monotonic()
        if delay > 0:
            time.sleep(delay)  # after a signal, the loop ends at this tick's end
        else:
            deadline = time.monotonic()  # fell behind (a loaded machine): don't burst
        alive = sample()
    if alive:
        sample()  # the state at the end of the step
    with open(out, "w") as f:
        f.write("%d %d %d\n" % (peak_anon, peak_rss, samples))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
