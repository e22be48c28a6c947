#!/usr/bin/env python3
"""Generates the Grafana dashboards in dashboards/hepaloop/ (run it after editing; commit both).

Every query uses the schema of docs/telemetry.md; DashboardQueriesIT runs each one against a real
influxd filled by a short run and fails on any query that errors or returns nothing."""
import json, os

DS = {"type": "influxdb", "uid": "hepaloop-influxdb"}
here = os.path.dirname(os.path.abspath(__file__))


def target(query, ref="A", fmt="time_series"):
    return {"refId": ref, "datasource": DS, "rawQuery": True, "resultFormat": fmt, "query": query}


class Board:
    def __init__(self):
        self.panels = []
        self.y = 0
        self.x = 0

    def add(self, title, queries, unit="short", kind="timeseries", w=12, h=8, fmt="time_series", extra=None):
        if self.x + w > 24:
            self.x = 0
            self.y += h
        p = {
            "id": len(self.panels) + 1, "type": kind, "title": title, "datasource": DS,
            "gridPos": {"h": h, "w": w, "x": self.x, "y": self.y},
            "targets": [target(q, chr(65 + i), fmt) for i, q in enumerate(queries)],
            "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
            "options": {},
        }
        if extra:
            p.update(extra)
        self.panels.append(p)
        self.x += w


def var(name, query, multi, include_all):
    return {"name": name, "label": name, "type": "query", "datasource": DS, "query": query, "definition": query,
            "refresh": 2, "multi": multi, "includeAll": include_all, "sort": 1, "current": {}, "options": []}


def annotation(query):
    return {"name": "Events", "datasource": DS, "enable": True, "iconColor": "rgba(255, 96, 96, 1)", "query": query,
            "textColumn": "text", "titleColumn": "title", "tagsColumn": "type"}


def dashboard(uid, title, variables, annotations, board):
    return {"uid": uid, "title": title, "tags": ["hepaloop"], "timezone": "browser", "schemaVersion": 39, "version": 1,
            "editable": True, "refresh": "10s", "time": {"from": "now-6h", "to": "now"},
            "templating": {"list": variables}, "annotations": {"list": annotations}, "panels": board.panels}


def sig(signal, agg="mean", extra_group=""):
    # only "value" (Good, not stale) is plotted: bad values never look good; fill(null) keeps gaps as gaps
    return (f'SELECT {agg}("value") FROM "sample" WHERE "signal" = \'{signal}\' AND "reactor" =~ /^$reactor$/ '
            f'AND $timeFilter GROUP BY time($__interval), "reactor"{extra_group} fill(null)')


# ---------------------------------------------------------------- plant overview
b = Board()
b.add("Temperature (°C)", [sig("temperature")], "celsius")
b.add("Inlet pO2 (mmHg)", [sig("do_inlet")], "pressurembar")
b.add("Outlet pO2 (mmHg)", [sig("do_outlet")], "pressurembar")
b.add("Perfusion flow (mL/min)", [sig("flow")], "short")
b.add("Inlet pressure (mmHg)", [sig("pressure_inlet", "max")], "short")
b.add("Oxygen uptake rate (nmol/min)", ['SELECT mean("our_nmol_per_min") FROM "our" WHERE "reactor" =~ /^$reactor$/ AND $timeFilter GROUP BY time($__interval), "reactor" fill(null)'])
b.add("Alarm and interlock events",
      ['SELECT "reactor", "severity", "source", "text" FROM "events" WHERE ("type" = \'alarm\' OR "type" = \'interlock\') AND "reactor" =~ /^$reactor$/ AND $timeFilter'],
      kind="table", fmt="table", w=12)
b.add("Device link state (1 = connected)",
      ['SELECT last("state_code") FROM "link" WHERE "reactor" =~ /^$reactor$/ AND $timeFilter GROUP BY time($__interval), "reactor" fill(previous)'],
      kind="state-timeline", w=12)
b.add("Samples not Good (count)",
      ['SELECT count("quality") FROM "sample" WHERE "quality" != \'GOOD\' AND "reactor" =~ /^$reactor$/ AND $timeFilter GROUP BY time($__interval), "reactor" fill(0)'],
      w=24)
plant = dashboard("hepaloop-plant", "HepaLoop — plant overview",
                  [var("reactor", 'SHOW TAG VALUES FROM "sample" WITH KEY = "reactor"', True, True)],
                  [annotation('SELECT "text", "title", "type" FROM "events" WHERE "reactor" =~ /^$reactor$/ AND $timeFilter')], b)

# ---------------------------------------------------------------- run detail
def loop_q(loop):
    return (f'SELECT mean("pv") AS "pv", mean("setpoint") AS "setpoint" FROM "loop" WHERE "reactor" = \'$reactor\' AND "run" = \'$run\' '
            f'AND "loop" = \'{loop}\' AND $timeFilter GROUP BY time($__interval) fill(null)')


def run_sig(signal):
    return (f'SELECT mean("value") FROM "sample" WHERE "reactor" = \'$reactor\' AND "run" = \'$run\' AND "signal" = \'{signal}\' '
            f'AND $timeFilter GROUP BY time($__interval) fill(null)')


r = Board()
r.add("Temperature: PV vs setpoint (°C)", [loop_q("temperature")], "celsius")
r.add("Flow: PV vs setpoint (mL/min)", [loop_q("flow")])
r.add("Inlet pO2: PV vs setpoint (mmHg)", [loop_q("oxygen")])
r.add("Controller outputs (%)", ['SELECT mean("output") FROM "loop" WHERE "reactor" = \'$reactor\' AND "run" = \'$run\' AND $timeFilter GROUP BY time($__interval), "loop" fill(null)'], "percent")
r.add("Oxygen uptake rate (nmol/min)", ['SELECT mean("our_nmol_per_min") FROM "our" WHERE "reactor" = \'$reactor\' AND "run" = \'$run\' AND $timeFilter GROUP BY time($__interval) fill(null)'])
r.add("OUR per 10⁶ cells (nmol/min)", ['SELECT mean("our_per_1e6_cells_nmol_per_min") FROM "our" WHERE "reactor" = \'$reactor\' AND "run" = \'$run\' AND $timeFilter GROUP BY time($__interval) fill(null)'])
r.add("Inlet pressure (mmHg)", [run_sig("pressure_inlet")])
r.add("pO2 in / out (mmHg)", [run_sig("do_inlet"), run_sig("do_outlet")])
r.add("Loop modes (0 off, 1 manual, 2 auto, 3 cascade) and interlocks",
      ['SELECT last("mode_code") FROM "loop" WHERE "reactor" = \'$reactor\' AND "run" = \'$run\' AND $timeFilter GROUP BY time($__interval), "loop" fill(previous)',
       'SELECT count("interlock") FROM "loop" WHERE "reactor" = \'$reactor\' AND "run" = \'$run\' AND "interlock_active" = true AND $timeFilter GROUP BY time($__interval) fill(0)'],
      kind="state-timeline")
r.add("Temperature, 1-minute roll-up (long runs: mean, min, max)",
      ['SELECT mean("mean") AS "mean", min("min") AS "min", max("max") AS "max" FROM "rollup_1m"."sample_1m" WHERE "reactor" = \'$reactor\' AND "run" = \'$run\' AND "signal" = \'temperature\' AND $timeFilter GROUP BY time($__interval) fill(null)'],
      "celsius")
r.add("Events", ['SELECT "type", "severity", "source", "text" FROM "events" WHERE ("reactor" = \'$reactor\' OR "reactor" = \'plant\') AND $timeFilter'],
      kind="table", fmt="table", w=24)
run = dashboard("hepaloop-run", "HepaLoop — run detail",
                [var("reactor", 'SHOW TAG VALUES FROM "sample" WITH KEY = "reactor"', False, False),
                 var("run", 'SHOW TAG VALUES FROM "sample" WITH KEY = "run" WHERE "reactor" = \'$reactor\'', False, False)],
                [annotation('SELECT "text", "title", "type" FROM "events" WHERE ("reactor" = \'$reactor\' OR "reactor" = \'plant\') AND $timeFilter')], r)

for name, d in [("plant-overview.json", plant), ("run-detail.json", run)]:
    with open(os.path.join(here, "hepaloop", name), "w", encoding="utf-8") as f:
        json.dump(d, f, indent=2, ensure_ascii=False)
        f.write("\n")
