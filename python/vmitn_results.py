"""Read a vmitn results folder into tidy tables (standard library only; pandas when present).

    import vmitn_results as vr
    r = vr.load("results/fig11")          # one scenario's folder, a folder of them, or a sweep
    r.runs        # one row per (scenario, experiment, run): the LABEL.runs.csv columns
    r.curves      # one row per (scenario, experiment, t): the LABEL.curve.csv columns
    r.summary     # one row per (scenario, experiment, metric): n, missing, mean, sd, ci95_lo, ...
    r.events      # one row per event of LABEL.events.csv (run, t, host, event, other), when written
    r.meta        # {scenario folder name: {key: value}} from meta.json (or meta)
    r.tables      # {(scenario, file name): table} for every other CSV (compare.csv, fig9.csv, ...)

Each table is a pandas DataFrame when pandas can be imported (as_frames=None, the default),
otherwise (or with as_frames=False) a list of dicts.  Numbers become floats (ints where
whole), "NA" and empty cells None (NaN in a DataFrame).  A sweep folder (spec, points.csv,
runs.csv) gives runs (one row per point, experiment and run) and tables["points"].
"""

import csv
import re
import json
import os

__all__ = ["load", "Results", "NotResults"]

_PER_EXPERIMENT = {"runs": "runs", "curve": "curves", "summary": "summary", "events": "events"}


class NotResults(Exception):
    """The folder is not a vmitn results folder (no meta), or a file in it is cut or unreadable."""


class Results:
    def __init__(self, runs, curves, summary, events, meta, tables):
        self.runs, self.curves, self.summary, self.events = runs, curves, summary, events
        self.meta, self.tables = meta, tables

    def __repr__(self):
        n = lambda t: len(t)
        return "<vmitn Results: %d scenario(s), %d runs rows, %d curve rows, %d summary rows, %d events>" % (
            len(self.meta), n(self.runs), n(self.curves), n(self.summary), n(self.events))


# what the C reader (vmitn_csv_num) accepts: printf %g output (sign, digits, point, exponent), inf, or NA
_NUMBER = re.compile(r"[+-]?(?:inf|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)\Z")
_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
# vmitn_safe_name: the rule vmitn applies to labels and file names it writes
_SAFE_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}\Z")


def _value(s):
    if s is None or s == "" or s == "NA":
        return None
    if not _NUMBER.match(s):
        return s
    v = float(s)
    return int(s) if _INTEGER.match(s) else v


def _read_csv(path, front=None):
    """Rows of a CSV as dicts, values typed, the `front` columns (a dict) put first."""
    try:
        with open(path, newline="", encoding="utf-8") as f:
            rd = csv.reader(f)
            head = next(rd, None)
            if head is None:
                raise NotResults("%s: empty (no header line)" % path)
            clash = [c for c in head if c in (front or {})]
            if clash:
                raise NotResults("%s: column '%s' clashes with the column the loader adds" % (path, clash[0]))
            rows = []
            for line, cells in enumerate(rd, start=2):
                if len(cells) != len(head):
                    raise NotResults("%s:%d: %d cells, the header has %d (a cut file?)" % (
                        path, line, len(cells), len(head)))
                row = dict(front or {})
                row.update((k, _value(v)) for k, v in zip(head, cells))
                rows.append(row)
            return rows
    except OSError as e:
        raise NotResults("%s: cannot read: %s" % (path, e.strerror))


def _read_meta(folder):
    """meta.json when present, else the `key = value` meta (values typed as meta.json types them)."""
    mj = os.path.join(folder, "meta.json")
    if os.path.isfile(mj):
        try:
            with open(mj, encoding="utf-8") as f:
                return json.load(f)
        except ValueError as e:
            raise NotResults("%s: not JSON: %s" % (mj, e))
    meta = {}
    with open(os.path.join(folder, "meta"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            key, sep, v = line.partition(" = ")
            if not sep:
                key, v = line.rstrip(" =").strip(), ""
                if key != "experiments":
                    continue
            if key == "experiments":
                meta[key] = v.split()
            elif len(v) >= 2 and v[0] == '"' and v[-1] == '"':
                meta[key] = v[1:-1]
            elif v in ("true", "false"):
                meta[key] = v == "true"
            else:
                meta[key] = _value(v)
    return meta


def _scenario_folders(path):
    path = os.path.normpath(path)
    if not os.path.isdir(path):
        raise NotResults("%s: no such folder" % path)
    if os.path.isfile(os.path.join(path, "meta")):
        return [path]
    found = sorted(os.path.join(path, d) for d in os.listdir(path)
                   if not d.startswith(".") and os.path.isfile(os.path.join(path, d, "meta")))
    if not found:
        raise NotResults("%s holds no results (no scenario folder with a meta file)" % path)
    return found


def _frame(rows, as_frames):
    if as_frames is False:
        return rows
    try:
        import pandas
    except ImportError:
        if as_frames:
            raise
        return rows
    return pandas.DataFrame(rows)


def load(path, as_frames=None):
    """Reads results folder `path` (one scenario's, a folder of them, or a sweep folder).
    Raises NotResults with a message naming the file for anything that is not a results folder."""
    out = {k: [] for k in ("runs", "curves", "summary", "events")}
    meta, tables = {}, {}
    for folder in _scenario_folders(path):
        sname = os.path.basename(folder)
        m = _read_meta(folder)
        meta[sname] = m
        if os.path.isfile(os.path.join(folder, "spec")) and os.path.isfile(os.path.join(folder, "points.csv")):
            # a sweep: the swept parameters are the columns before `run`/`experiment`
            out["runs"] += _read_csv(os.path.join(folder, "runs.csv"), {"scenario": sname})
            tables[(sname, "points")] = _read_csv(os.path.join(folder, "points.csv"), {"scenario": sname})
            continue
        labels = m.get("experiments") or []
        if not isinstance(labels, list):
            raise NotResults("%s: experiments is not a list" % os.path.join(folder, "meta"))
        for lab in labels:
            if not isinstance(lab, str) or not _SAFE_NAME.match(lab):
                raise NotResults("%s: experiment label %r is not a plain name (1 to 100 letters, digits, '_', '-' "
                                 "and '.', not starting with '.')" % (os.path.join(folder, "meta"), lab))
        own = set()
        for lab in labels:
            for suffix, table in _PER_EXPERIMENT.items():
                f = "%s.%s.csv" % (lab, suffix)
                if os.path.isfile(os.path.join(folder, f)):
                    own.add(f)
                    out[table] += _read_csv(os.path.join(folder, f), {"scenario": sname, "experiment": lab})
        for f in sorted(os.listdir(folder)):
            if f.endswith(".csv") and f not in own and not f.startswith("."):
                tables[(sname, f[:-4])] = _read_csv(os.path.join(folder, f), {"scenario": sname})
    tables = {k: _frame(v, as_frames) for k, v in tables.items()}
    return Results(*(_frame(out[k], as_frames) for k in ("runs", "curves", "summary", "events")), meta, tables)
