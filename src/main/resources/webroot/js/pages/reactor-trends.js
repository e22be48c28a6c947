// Trends of the reactor detail page: per loop the PV with its setpoint, level alarm limits and the
// deviation alarm's band around the setpoint (uPlot), from GET /api/reactors/<id>/history; a window
// of 1 h, 24 h or 7 d that follows live data (the 1 h view appends the stream's samples, the longer
// ones refetch their downsampled history once per bucket, at most once a minute), zooms by a drag
// across a chart and pans; lab results of the reactor's run as points on the same time axis. A Bad
// sample is a gap in the PV line and a black mark along the bottom of the chart, never a point on
// it.

import { seg } from '../api.js';

/** Live points kept per loop (an hour at 1 Hz, and some). */
const LIVE_KEEP = 4000;

/** Points asked of the history route per trend. */
const HISTORY_POINTS = 1500;

/** Windows up to this wide (s) append the stream's raw samples; wider ones refetch history. */
const LIVE_APPEND_MAX_S = 3600;

/** Shortest interval between two refetches of a wide live window (ms). */
const REFETCH_MIN_MS = 60_000;

/** Trend spans offered, in seconds. */
const SPANS = [
  { id: '1h', label: '1 h', s: 3600 },
  { id: '24h', label: '24 h', s: 86400 },
  { id: '7d', label: '7 d', s: 7 * 86400 },
];

/** Level alarm kinds drawn as limit lines, with the line's dash. */
export const LIMIT_DASH = { HIGH_HIGH: [2, 3], HIGH: [8, 4], LOW: [8, 4], LOW_LOW: [2, 3] };

export function createTrends({ ctx, uPlot, model, base, id, limitsOf, runNode }) {
  const { ui } = ctx;
  const { el } = ui;
  const view = { spanS: 3600, follow: true, from: null, to: null };
  const historyNote = el('p', { class: 'muted rd-history-note', 'data-testid': 'history-note' });
  const rangeText = el('span', { class: 'muted', 'data-testid': 'trend-range' });
  const button = (text, testid, onclick, label) =>
    el('button', { type: 'button', class: 'btn', 'data-testid': testid, 'aria-label': label || text, text, onclick });
  const spanButtons = SPANS.map((s) =>
    button(s.label, `range-${s.id}`, () => setSpan(s.s), `Show the last ${s.label}`),
  );
  const liveButton = button('Live', 'trend-live', () => setSpan(view.spanS), 'Follow live data');
  const toolbar = el(
    'div',
    { class: 'rd-toolbar', role: 'toolbar', 'aria-label': 'Trend range' },
    spanButtons,
    button('◀', 'trend-pan-back', () => pan(-0.5), 'Pan back half a window'),
    button('▶', 'trend-pan-forward', () => pan(0.5), 'Pan forward half a window'),
    liveButton,
    rangeText,
  );
  const live = new Map(); // loopId -> [{t (s), v|null, bad, sp}]
  const history = new Map(); // loopId -> {t:[], v:[], sp:[], bad:Set}
  const charts = new Map(); // loopId -> {u, node, badTimes}
  const chartNodes = model.loops.map((loop) => {
    const node = el('div', {
      class: 'rd-chart',
      'data-testid': `trend-${loop.loopId}`,
      role: 'img',
      'aria-label': `Trend of ${loop.pv} with setpoint and alarm limits`,
    });
    live.set(loop.loopId, []);
    return el('figure', { class: 'panel rd-trend' }, el('figcaption', { text: `${loop.loopId}: ${loop.pv} (${loop.pvUnit})` }), node);
  });
  const labNode = el('div', { class: 'rd-chart', 'data-testid': 'trend-lab', role: 'img', 'aria-label': 'Lab results' });
  const labNote = el('p', { class: 'muted', 'data-testid': 'lab-note' });
  const labFigure = el('figure', { class: 'panel rd-trend' }, el('figcaption', { text: 'Lab results' }), labNote, labNode);
  const node = el('section', { class: 'rd-trends', 'aria-label': 'Trends' }, el('h2', { text: 'Trends' }), toolbar, historyNote, chartNodes, labFigure);
  let historyAvailable = true;
  let lab = { run: null, samples: [] };
  let labChart = null;
  let fetchSeq = 0;
  let refetchTimer = null;

  function windowNow() {
    if (view.follow) {
      const to = Date.now() / 1000;
      return { from: to - view.spanS, to };
    }
    return { from: view.from, to: view.to };
  }

  function setSpan(s) {
    view.spanS = s;
    view.follow = true;
    loadHistory();
    draw();
  }

  function pan(fraction) {
    const w = windowNow();
    const width = w.to - w.from;
    const shift = width * fraction;
    const to = Math.min(Date.now() / 1000, w.to + shift);
    view.follow = false;
    view.from = to - width;
    view.to = to;
    loadHistory();
    draw();
  }

  function zoomTo(from, to) {
    if (!(to > from)) return;
    view.follow = false;
    view.from = from;
    view.to = to;
    loadHistory();
    draw();
  }

  /** Whether the window shows the stream's raw samples (narrow) or only downsampled history. */
  function appendsLive(w) {
    return w.to - w.from <= LIVE_APPEND_MAX_S + 1;
  }

  /**
   * A wide window that follows live data is kept current by fetching its history again once per
   * bucket (at least a minute apart), so it stays downsampled and bounded over days.
   */
  function scheduleRefetch(bucketMs) {
    clearTimeout(refetchTimer);
    refetchTimer = null;
    const w = windowNow();
    const ms = view.follow && !appendsLive(w) && historyAvailable ? Math.max(REFETCH_MIN_MS, bucketMs || 0) : 0;
    historyNote.dataset.refetchMs = String(ms);
    if (ms) refetchTimer = setTimeout(() => loadHistory(), ms);
  }

  async function loadHistory() {
    const seq = ++fetchSeq;
    clearTimeout(refetchTimer);
    const w = windowNow();
    if (!historyAvailable) {
      draw();
      return;
    }
    const signals = [...new Set(model.loops.map((l) => l.pv))].join(',');
    const q = `signals=${encodeURIComponent(signals)}&from=${iso(w.from)}&to=${iso(w.to)}&maxPoints=${HISTORY_POINTS}`;
    try {
      const h = await ctx.api.get(`${base}/history?${q}`);
      if (seq !== fetchSeq) return;
      history.clear();
      for (const loop of model.loops) {
        const value = h.series.find((s) => s.kind === 'value' && s.signal === loop.pv);
        const sp = h.series.find((s) => s.kind === 'setpoint' && s.loopId === loop.loopId);
        history.set(loop.loopId, merge(value, sp));
      }
      const sources = [...new Set((h.parts || []).map((p) => p.source))];
      historyNote.textContent =
        `History from InfluxDB (${sources.join(' + ') || 'raw'}), ${ui.formatDuration(h.bucketMs)} per point; ` +
        (appendsLive(w) ? 'live data from the stream.' : `fetched again every ${ui.formatDuration(Math.max(REFETCH_MIN_MS, h.bucketMs))}.`);
      historyNote.dataset.source = 'influxdb';
      historyNote.dataset.parts = sources.join(',');
      historyNote.dataset.loads = String(Number(historyNote.dataset.loads || 0) + 1);
      scheduleRefetch(h.bucketMs);
    } catch (e) {
      if (seq !== fetchSeq || e.status === 401) return;
      if (e.status === 503) historyAvailable = false;
      history.clear();
      historyNote.textContent = `${e.status === 503 ? 'Live data only' : 'History unavailable'}: ${e.describe ? e.describe() : e}`;
      historyNote.dataset.source = 'live';
      scheduleRefetch(0);
    }
    draw();
  }

  /** History value and setpoint series on one time axis (seconds); suspect buckets as marks. */
  function merge(value, sp) {
    const byT = new Map();
    for (const [t, v] of value ? value.points : []) byT.set(t, { v, sp: null });
    for (const [t, v] of sp ? sp.points : []) {
      const row = byT.get(t) || { v: null, sp: null };
      row.sp = v;
      byT.set(t, row);
    }
    const ts = [...byT.keys()].sort((a, b) => a - b);
    return {
      t: ts.map((t) => t / 1000),
      v: ts.map((t) => byT.get(t).v),
      sp: ts.map((t) => byT.get(t).sp),
      bad: (value ? value.suspect : []).map(([t]) => t / 1000),
    };
  }

  function acceptSample(loop, sample, receivedAtMs) {
    const list = live.get(loop.loopId);
    const t = sample.time ? Date.parse(sample.time) / 1000 : receivedAtMs / 1000;
    if (list.length && t <= list[list.length - 1].t) return;
    const good = ui.qualityOf(sample) === 'good';
    const snap = loop.snapshot || {};
    list.push({ t, v: good ? sample.value : null, bad: !good, sp: Number.isFinite(snap.setpoint) ? snap.setpoint : null });
    if (list.length > LIVE_KEEP) list.splice(0, list.length - LIVE_KEEP);
  }

  function dataFor(loop, w) {
    const h = history.get(loop.loopId) || { t: [], v: [], sp: [], bad: [] };
    const xs = [];
    const vs = [];
    const sps = [];
    const bad = [];
    let lastT = -Infinity;
    for (let i = 0; i < h.t.length; i++) {
      if (h.t[i] < w.from || h.t[i] > w.to) continue;
      xs.push(h.t[i]);
      vs.push(h.v[i]);
      sps.push(h.sp[i]);
      lastT = h.t[i];
    }
    const historyPoints = xs.length;
    let livePoints = 0;
    for (const t of h.bad) if (t >= w.from && t <= w.to) bad.push(t);
    for (const p of appendsLive(w) || !historyAvailable ? live.get(loop.loopId) : []) {
      if (p.t <= lastT || p.t < w.from || p.t > w.to) continue;
      livePoints++;
      xs.push(p.t);
      vs.push(p.v);
      sps.push(p.sp);
      if (p.bad) bad.push(p.t);
    }
    // the window's ends as empty points, so limit lines span the whole chart
    if (!xs.length || xs[0] > w.from) {
      xs.unshift(w.from);
      vs.unshift(null);
      sps.unshift(null);
    }
    if (xs[xs.length - 1] < w.to) {
      xs.push(w.to);
      vs.push(null);
      sps.push(null);
    }
    const limits = limitsOf(loop.pv);
    const bands = deviationsOf(loop);
    const data = [
      xs,
      vs,
      sps,
      ...limits.map((a) => xs.map(() => a.limit)),
      ...bands.flatMap((a) => [sps.map((sp) => (sp === null ? null : sp + a.limit)), sps.map((sp) => (sp === null ? null : sp - a.limit))]),
    ];
    return { data, limits, bands, bad, historyPoints, livePoints };
  }

  /** The loop's deviation alarms: a band of setpoint ± limit on its trend. */
  function deviationsOf(loop) {
    return (model.alarms || []).filter((a) => a.kind === 'DEVIATION' && a.source === loop.loopId && Number.isFinite(a.limit));
  }

  function chartFor(loop, limits, bands, width) {
    const key = [...limits, ...bands].map((a) => `${a.alarmId}:${a.limit}`).join(',');
    const existing = charts.get(loop.loopId);
    if (existing && existing.key === key) return existing;
    if (existing) existing.u.destroy();
    const unit = loop.pvUnit;
    const holder = { key, bad: [], u: null };
    const opts = {
      width,
      height: 220,
      cursor: { drag: { x: true, y: false, setScale: false }, sync: { key: `reactor-${id}` } },
      scales: { x: { time: true } },
      legend: { live: true },
      series: [
        {},
        { label: `PV ${loop.pv}`, stroke: '#161616', width: 1.5, spanGaps: false, value: (u, v) => ui.formatValue(v, unit) },
        { label: 'Setpoint', stroke: '#4a4a4a', dash: [6, 3], width: 1, spanGaps: true, value: (u, v) => ui.formatValue(v, unit) },
        ...limits.map((a) => ({
          label: `${a.kind.replace('_', '-')} ${ui.formatValue(a.limit, unit)}`,
          stroke: a.kind === 'HIGH_HIGH' || a.kind === 'LOW_LOW' ? '#303030' : '#6a6a6a',
          dash: LIMIT_DASH[a.kind],
          width: 1,
          points: { show: false },
        })),
        ...bands.flatMap((a) =>
          ['+', '−'].map((sign) => ({
            label: `deviation ${sign}${ui.formatValue(a.limit, unit)}`,
            stroke: '#8a8a8a',
            width: 1,
            dash: [1, 3],
            spanGaps: true,
            points: { show: false },
            value: (u, v) => ui.formatValue(v, unit),
          })),
        ),
      ],
      // setpoint ± deviation limit, filled between its two edges
      bands: bands.map((a, i) => {
        const upper = 3 + limits.length + 2 * i;
        return { series: [upper, upper + 1], fill: 'rgba(120, 120, 120, 0.12)' };
      }),
      axes: [{ values: timeLabels }, { label: unit, size: 60 }],
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width > 4) {
              const from = u.posToVal(u.select.left, 'x');
              const to = u.posToVal(u.select.left + u.select.width, 'x');
              u.setSelect({ left: 0, width: 0, top: 0, height: 0 }, false);
              zoomTo(from, to);
            }
          },
        ],
        draw: [(u) => drawBad(u, holder.bad)],
      },
    };
    holder.u = new uPlot(
      opts,
      [[], [], [], ...limits.map(() => []), ...bands.flatMap(() => [[], []])],
      chartNodes[model.loops.indexOf(loop)].lastChild,
    );
    charts.set(loop.loopId, holder);
    return holder;
  }

  /** Non-Good samples as a hatched strip along the bottom: never drawn as values. */
  function drawBad(u, bad) {
    if (!bad.length) return;
    const c = u.ctx;
    const { left, top, width, height } = u.bbox;
    c.save();
    c.fillStyle = '#000';
    const y = top + height - 8 * devicePixelRatio;
    for (const t of bad) {
      const x = u.valToPos(t, 'x', true);
      if (x < left || x > left + width) continue;
      c.fillRect(x - 1.5 * devicePixelRatio, y, 3 * devicePixelRatio, 8 * devicePixelRatio);
    }
    c.restore();
  }

  function draw() {
    const w = windowNow();
    rangeText.textContent = `${ui.formatDateTime(w.from * 1000)} – ${view.follow ? 'now (live)' : ui.formatDateTime(w.to * 1000)}`;
    liveButton.disabled = view.follow;
    liveButton.setAttribute('aria-pressed', String(view.follow));
    spanButtons.forEach((b, i) => b.setAttribute('aria-pressed', String(view.follow && SPANS[i].s === view.spanS)));
    if (!uPlot) {
      historyNote.textContent = 'Trends unavailable: the chart library did not load.';
      return;
    }
    for (const loop of model.loops) {
      const figure = chartNodes[model.loops.indexOf(loop)];
      const width = Math.max(300, figure.clientWidth - 24);
      const { data, limits, bands, bad, historyPoints, livePoints } = dataFor(loop, w);
      const chart = chartFor(loop, limits, bands, width);
      chart.bad = bad;
      chart.u.batch(() => {
        if (chart.u.width !== width) chart.u.setSize({ width, height: 220 });
        chart.u.setData(data, false);
        chart.u.setScale('x', { min: w.from, max: w.to });
      });
      figure.lastChild.dataset.points = String(data[1].filter((v) => v !== null).length);
      figure.lastChild.dataset.bad = String(bad.length);
      figure.lastChild.dataset.historyPoints = String(historyPoints);
      figure.lastChild.dataset.livePoints = String(livePoints);
      figure.lastChild.dataset.deviationBands = String(bands.length);
      figure.lastChild.dataset.deviationPoints = String(bands.length ? data[3 + limits.length].filter((v) => v !== null).length : 0);
      figure.lastChild.dataset.deviationLimit = bands.map((a) => a.limit).join(',');
      figure.lastChild.dataset.series = String(chart.u.series.length - 1);
    }
    drawLab(w);
  }

  async function loadLab() {
    try {
      const runs = await ctx.api.getOr404(`/api/runs?reactorId=${seg(id)}`, null);
      const list = runs && runs.runs ? runs.runs : [];
      const run = list.find((r) => !r.endedAt) || list[0] || null;
      if (!run) {
        labNote.textContent = runs ? 'No run on this reactor: no lab results.' : 'Lab results unavailable (no run API in this build).';
        return;
      }
      runNode.textContent = `Run ${run.runId}${run.state ? ` · ${run.state}` : ''}${run.phaseId ? ` · phase ${run.phaseId}` : ''}`;
      const s = await ctx.api.getOr404(`/api/runs/${seg(run.runId)}/samples`, null);
      lab = { run, samples: s && s.samples ? s.samples : [] };
      labNote.textContent = s
        ? `${lab.samples.length} lab result${lab.samples.length === 1 ? '' : 's'} of run ${run.runId}`
        : 'Lab results unavailable (no lab API in this build).';
      draw();
    } catch (e) {
      if (e.status !== 401) labNote.textContent = `Lab results unavailable: ${e.describe ? e.describe() : e}`;
    }
  }

  function drawLab(w) {
    labNode.dataset.points = String(lab.samples.length);
    if (!uPlot || !lab.samples.length) return;
    const analytes = [...new Set(lab.samples.map((s) => s.analyte))];
    const rows = lab.samples
      .map((s) => ({ t: Date.parse(s.sampledAt) / 1000, s }))
      .filter((r) => Number.isFinite(r.t))
      .sort((a, b) => a.t - b.t);
    const xs = rows.map((r) => r.t);
    const data = [xs, ...analytes.map((a) => rows.map((r) => (r.s.analyte === a && !r.s.belowDetectionLimit ? num(r.s.valueCanonical ?? r.s.value) : null)))];
    const width = Math.max(300, labFigure.clientWidth - 24);
    const key = analytes.join(',');
    if (!labChart || labChart.key !== key) {
      if (labChart) labChart.u.destroy();
      const units = new Map(lab.samples.map((s) => [s.analyte, s.canonicalUnit || s.unit]));
      labChart = {
        key,
        u: new uPlot(
          {
            width,
            height: 160,
            cursor: { sync: { key: `reactor-${id}` }, drag: { x: false, y: false } },
            scales: Object.fromEntries([['x', { time: true }], ...analytes.map((a) => [a, {}])]),
            series: [
              {},
              ...analytes.map((a, i) => ({
                label: `${a} (${units.get(a)})`,
                scale: a,
                stroke: ['#161616', '#505050', '#7a7a7a', '#303030'][i % 4],
                width: 0,
                paths: () => null,
                points: { show: true, size: 7, fill: ['#161616', '#ffffff', '#7a7a7a', '#d6d6d6'][i % 4] },
              })),
            ],
            axes: [{ values: timeLabels }, { scale: analytes[0], label: units.get(analytes[0]), size: 60 }],
          },
          data,
          labNode,
        ),
      };
    }
    labChart.u.batch(() => {
      if (labChart.u.width !== width) labChart.u.setSize({ width, height: 160 });
      labChart.u.setData(data, false);
      labChart.u.setScale('x', { min: w.from, max: w.to });
    });
  }

  return {
    node,
    acceptSample,
    draw,
    loadHistory,
    loadLab,
    destroy() {
      clearTimeout(refetchTimer);
      charts.forEach((c) => c.u.destroy());
      if (labChart) labChart.u.destroy();
    },
  };
}

/** Time axis labels in 24 h local time; with the date once the view spans more than a day. */
function timeLabels(u, splits) {
  const x = u.scales.x;
  const withDate = x.max - x.min > 86400;
  const pad = (n) => String(n).padStart(2, '0');
  return splits.map((s) => {
    const d = new Date(s * 1000);
    const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
    return withDate ? `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hm}` : hm;
  });
}

function iso(seconds) {
  return new Date(Math.round(seconds * 1000)).toISOString();
}

function num(v) {
  const n = Number(v);
  return v === null || v === undefined || !Number.isFinite(n) ? null : n;
}
