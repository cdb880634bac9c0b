#!/usr/bin/env python3
"""scripts/bench/report.py — the tables and the JSON of one `run.sh` run.

    report.py --results DIR --corpus-dir DIR --anchors FILE --json OUT [--print WHAT]

Reads DIR/measurements.tsv (one line per measured step, written by run.sh), DIR/env.txt,
the logs it names (cairn's --json results, mutate and verify reports) and the corpus
manifests; writes OUT (all corpora measured so far) and prints WHAT: the table of one
corpus (its name), `summary` (legend, noise, where the results are), `all` (both) or
`none`. The reference column comes from the anchors file (restic's medians of
the reference run). MB = 10^6 bytes; memory in MiB (kB / 1024, as anchors.sh).
"""
import argparse
import json
import os
import re
import sys
import textwrap

STEPS = ["backup1", "backup2", "backup3", "restore", "check"]
STEP_NAMES = {"backup1": "first backup", "backup2": "unchanged re-backup",
              "backup3": "backup after mutate", "restore": "restore", "check": "check --read-data"}
TOOLS = ["cairn", "restic"]


def num(v):
    if v in (None, "", "NA"):
        return None
    try:
        x = float(v)
    except ValueError:
        return None
    return int(x) if x.is_integer() and "." not in v else x


def load_rows(results):
    rows = []
    with open(os.path.join(results, "measurements.tsv")) as f:
        head = f.readline().rstrip("\n").split("\t")
        for line in f:
            rows.append(dict(zip(head, line.rstrip("\n").split("\t"))))
    return rows


def load_env(results):
    env = {}
    p = os.path.join(results, "env.txt")
    if os.path.exists(p):
        for line in open(p):
            k, _, v = line.rstrip("\n").partition(" ")
            env[k] = v
    return env


def load_json(path):
    try:
        with open(path) as f:
            text = f.read().strip()
        return json.loads(text) if text else None
    except (OSError, ValueError):
        return None


def anchors_restic(path):
    """{corpus: {step: wall_s}} for restic from the reference run's markdown."""
    out, corpus = {}, None
    try:
        lines = open(path).read().splitlines()
    except OSError:
        return out
    for line in lines:
        m = re.match(r"^### (\S+)\s*$", line)
        if m:
            corpus = m.group(1)
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if corpus and len(cells) >= 3 and cells[0] == "restic":
            w = num(cells[2])
            if w is not None:
                out.setdefault(corpus, {})[cells[1]] = w
    return out


def step_record(r):
    """One measured step as JSON, with derived MB/s and CPU seconds."""
    wall, bytes_in = num(r["wall_s"]), num(r["bytes_in"])
    user, sys_ = num(r["user_s"]), num(r["sys_s"])
    proc_cpu = (user + sys_) if (user is not None and sys_ is not None) else None
    daemon_cpu = num(r["daemon_cpu_s"])
    rec = {
        "wall_s": wall, "rc": int(r["rc"]) if r["rc"].lstrip("-").isdigit() else None,
        "bytes_in": int(bytes_in) if bytes_in is not None else None,
        "mb_s": round(bytes_in / 1e6 / wall, 1) if (bytes_in and wall) else None,
        "repo_bytes": int(num(r["repo_bytes"])) if num(r["repo_bytes"]) is not None else None,
        "cache_bytes": int(num(r["cache_bytes"])) if num(r["cache_bytes"]) is not None else None,
        "dropped_caches": r.get("dropped_caches"),
    }
    if r["tool"] == "cairn":
        rec.update({
            "cli_cpu_s": proc_cpu, "daemon_cpu_s": daemon_cpu,
            "cpu_s": round((proc_cpu or 0) + (daemon_cpu or 0), 2) if (proc_cpu is not None or daemon_cpu is not None) else None,
            "cli_maxrss_kb": num(r["maxrss_kb"]),
            "daemon_vmhwm_kb": num(r["daemon_hwm_kb"]),
            "daemon_rssanon_peak_kb": num(r["daemon_rssanon_peak_kb"]),
            "daemon_rss_at_start_kb": num(r.get("daemon_rss_start_kb")),
            "rss_samples": num(r["samples"]),
            "index_bytes": rec.pop("cache_bytes"),
        })
        result = load_json(r["out"]) if r["step"] != "init" else None
        if result is not None:
            rec["result"] = result
    else:
        rec.update({"cpu_s": round(proc_cpu, 2) if proc_cpu is not None else None,
                    "maxrss_kb": num(r["maxrss_kb"])})
    return rec


def build(args):
    rows = load_rows(args.results)
    env = load_env(args.results)
    ref = anchors_restic(args.anchors)
    logs = os.path.join(args.results, "logs")
    corpora = {}
    for r in rows:
        c = corpora.setdefault(r["corpus"], {"steps": {}, "init": {}})
        rec = step_record(r)
        if r["step"] == "init":
            c["init"][r["tool"]] = rec
        else:
            c["steps"].setdefault(r["step"], {})[r["tool"]] = rec
    for name, c in corpora.items():
        c["manifest"] = load_json(os.path.join(args.corpus_dir, name + ".manifest.json"))
        c["mutation"] = load_json(os.path.join(logs, name + ".mutate.json"))
        c["verify"] = {t: load_json(os.path.join(logs, "%s.%s.verify.json" % (name, t))) for t in TOOLS}
        c["restic_reference_wall_s"] = ref.get(name, {})
        for step, tools in c["steps"].items():
            a, b = tools.get("cairn", {}).get("wall_s"), tools.get("restic", {}).get("wall_s")
            tools["speed_ratio"] = round(b / a, 2) if (a and b) else None
            ra, rb = tools.get("cairn", {}).get("repo_bytes"), tools.get("restic", {}).get("repo_bytes")
            tools["repo_size_ratio"] = round(ra / rb, 3) if (ra and rb) else None
    return {
        "what": "cairn and restic side by side, cold cache (scripts/bench/run.sh)",
        "units": {"MB": "10^6 bytes", "memory": "kB as /proc reports (KiB)",
                  "speed_ratio": "restic wall s / cairn wall s: > 1 means cairn is faster",
                  "repo_size_ratio": "cairn repository bytes / restic repository bytes"},
        "caveat": "one run, not medians; other work shares this machine, so times are noisy "
                  "(see loadavg_*); restic_reference_wall_s is restic's median from the "
                  "reference run, to judge how far this run's restic is off",
        "env": env, "corpora": corpora,
    }


# ---------------------------------------------------------------- text tables

def f(v, nd=1, suffix=""):
    return "–" if v is None else ("%." + str(nd) + "f%s") % (v, suffix)


def mib(kb):
    return None if kb is None else kb / 1024


def mb(b):
    return None if b is None else b / 1e6


def mark(rec, text):
    """A failed step's figure gets a `!` (its exit code is listed under the table)."""
    return text + "!" if rec.get("rc") not in (0, None) else text


def table(name, c):
    man = c.get("manifest") or {}
    files = man.get("files")
    out = ["", "### %s — %s file%s, %s MB; cold cache (page cache dropped before every step)" % (
        name, "?" if files is None else "{:,}".format(files), "" if files == 1 else "s",
        f(mb(man.get("bytes")), 1))]
    head = ["step", "cairn s", "MB/s", "restic s", "MB/s", "speed c/r (>1: cairn faster)", "cairn CPU s",
            "restic CPU s", "daemon HWM", "daemon anon", "CLI RSS", "restic RSS",
            "cairn repo", "restic repo", "size c/r", "restic ref s"]
    body = []
    for step in STEPS:
        t = c["steps"].get(step)
        if not t:
            continue
        a, b = t.get("cairn", {}), t.get("restic", {})
        body.append([
            step, mark(a, f(a.get("wall_s"), 2)), f(a.get("mb_s")),
            mark(b, f(b.get("wall_s"), 2)), f(b.get("mb_s")),
            f(t.get("speed_ratio"), 2, "x"), f(a.get("cpu_s"), 2), f(b.get("cpu_s"), 2),
            f(mib(a.get("daemon_vmhwm_kb")), 0), f(mib(a.get("daemon_rssanon_peak_kb")), 0),
            f(mib(a.get("cli_maxrss_kb")), 0), f(mib(b.get("maxrss_kb")), 0),
            f(mb(a.get("repo_bytes"))), f(mb(b.get("repo_bytes"))),
            f(t.get("repo_size_ratio"), 2), f(c["restic_reference_wall_s"].get(step), 2)])
    widths = [max(len(r[i]) for r in [head] + body) for i in range(len(head))]
    line = lambda cells: "| " + " | ".join(
        cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(cells, widths))) + " |"
    out.append(line(head))
    out.append("|" + "|".join(("-" * (w + 1) + ":") if i else ("-" * (w + 2)) for i, w in enumerate(widths)) + "|")
    out.extend(line(r) for r in body)
    ia, ib = c["init"].get("cairn", {}), c["init"].get("restic", {})
    out.append("init: cairnd start to ready (creates the repository, default scrypt KDF) %s s, "
               "VmHWM %s MiB; restic init %s s, %s MiB" % (
                   f(ia.get("wall_s"), 2), f(mib(ia.get("daemon_vmhwm_kb")), 0),
                   f(ib.get("wall_s"), 2), f(mib(ib.get("maxrss_kb")), 0)))
    s2, s3 = c["steps"].get("backup2", {}), c["steps"].get("backup3", {})
    s1 = c["steps"].get("backup1", {})
    growth = []
    for tool, cache in (("cairn", "index_bytes"), ("restic", "cache_bytes")):
        r1, r2, r3 = (s.get(tool, {}).get("repo_bytes") for s in (s1, s2, s3))
        d2 = mb(r2 - r1) if (r1 is not None and r2 is not None) else None
        d3 = mb(r3 - r2) if (r2 is not None and r3 is not None) else None
        kind = "index + state" if tool == "cairn" else "local cache"
        growth.append("%s +%s MB by backup2, +%s MB by backup3, %s %s MB" % (
            tool, f(d2, 3), f(d3, 2), kind, f(mb(s3.get(tool, {}).get(cache)))))
    out.append("growth: " + "; ".join(growth))
    for tool in TOOLS:
        v = c["verify"].get(tool)
        out.append("restore verify, %s: %s" % (tool, verdict(v)))
    for step in STEPS:
        for tool in TOOLS:
            rec = c["steps"].get(step, {}).get(tool)
            if rec and rec.get("rc") not in (0, None):
                out.append("! %s %s exited %s (see the logs)" % (tool, step, rec["rc"]))
    return "\n".join(out)


def summary(doc, json_path):
    env = doc["env"]
    client = "curl --unix-socket (the cairn CLI was not usable)" if env.get("driver") == "curl" else "the cairn CLI"
    out = ["", "Columns: speed c/r = restic s / cairn s (> 1: cairn faster); size c/r = cairn repo / "
           "restic repo, bytes on disk after the step. MB = 10^6 bytes; memory in MiB (kB / 1024). "
           "daemon HWM = cairnd's VmHWM over the step (reset with clear_refs 5 before it); daemon "
           "anon = its peak RssAnon, sampled every 100 ms; CLI RSS = the client's own peak (%s); "
           "restic RSS = restic's max RSS. cairn CPU s = daemon + client. check MB/s = repository "
           "bytes / s. restic ref s = restic's median in the reference run (anchors-2026-11-23.md)."
           % client]
    slow = []
    for c in doc["corpora"].values():
        for step, t in c["steps"].items():
            w, ref = t.get("restic", {}).get("wall_s"), c["restic_reference_wall_s"].get(step)
            if w and ref:
                slow.append(w / ref)
    loads = ", ".join("%s %s" % (k.replace("loadavg_", ""), v.split()[0])
                      for k, v in env.items() if k.startswith("loadavg_") and k != "loadavg_end")
    out.append("Noise: one run, not medians, on a machine shared with other work (%s CPUs; "
               "1-min load average: %s). restic took %s× its reference times here, so compare "
               "the two tools within this run, not with other runs.%s" % (
                   env.get("cpu", "?").rsplit(" x ", 1)[-1], loads or "?",
                   ("%.1f–%.1f" % (min(slow), max(slow))) if slow else "?",
                   "" if env.get("dropped_caches") == "yes" else
                   " The page cache could NOT be dropped (not root?): figures are not cold."))
    out = [textwrap.fill(p, 100, break_on_hyphens=False) for p in out]
    out.append("Results: %s" % json_path)
    return "\n".join(out)


def verdict(v):
    if v is None:
        return "not run"
    if "error" in v:
        return "DIFFERS: " + v["error"]
    counts = ["%s=%d" % (k, v[k]) for k in ("missing", "extra", "type", "content", "size",
              "symlink_target", "mode", "owner", "mtime_files", "mtime_dirs", "mtime_symlinks",
              "xattrs", "hardlinks") if v.get(k)]
    base = "%d entries restored of %d" % (v.get("entries_restored", 0), v.get("entries_orig", 0))
    if v.get("metadata_identical"):
        return "identical (contents and metadata), %s" % base
    if v.get("byte_identical"):
        return "contents identical, metadata differs (%s), %s" % (", ".join(counts), base)
    return "DIFFERS (%s), %s; e.g. %s" % (", ".join(counts), base, "; ".join(v.get("examples", [])[:3]))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--results", required=True)
    p.add_argument("--corpus-dir", required=True)
    p.add_argument("--anchors", required=True)
    p.add_argument("--json", required=True)
    p.add_argument("--print", default="all", dest="which")
    args = p.parse_args()
    doc = build(args)
    tmp = args.json + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(doc, fh, indent=1)
        fh.write("\n")
    os.replace(tmp, args.json)
    if args.which in ("all", "none", "summary"):
        names = list(doc["corpora"]) if args.which == "all" else []
    else:
        names = [args.which]
    for name in names:
        if name in doc["corpora"]:
            print(table(name, doc["corpora"][name]))
        else:
            print("\n### %s — not measured (see the log above)" % name)
    if args.which in ("all", "summary"):
        print(summary(doc, args.json))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
