// Reactor detail (#/reactor/<id>): a faceplate per loop (PV, setpoint, output, mode, interlock and
// override, an analog bar with the alarm limits) with the operator's controls (setpoint, mode,
// manual output: each confirmed with a reason, sent to the command API, its refusal shown as the
// API worded it); trends of each loop's PV with its setpoint and alarm limits, live from the SSE
// stream and older from GET /api/reactors/<id>/history (1 h / 24 h / 7 d, drag to zoom, pan); lab
// results of the reactor's run on the same time axis.
//
// Quality: a Bad or stale value is never drawn or shown as a good one. A Bad sample leaves a gap in
// the PV line and a hatched mark along the bottom of the trend; a value not refreshed for
// STALE_AFTER_MS is shown stale; a lost link greys the header and says since when.

import { seg } from '../api.js';

/** A value not refreshed for this long is shown stale (samples come every second). */
const STALE_AFTER_MS = 5000;

/** Live points kept per loop (an hour at 1 Hz, and some). */
const LIVE_KEEP = 4000;

/** Points asked of the history route per trend. */
const HISTORY_POINTS = 1500;

/** Trend spans offered, in seconds. */
const SPANS = [
  { id: '1h', label: '1 h', s: 3600 },
  { id: '24h', label: '24 h', s: 86400 },
  { id: '7d', label: '7 d', s: 7 * 86400 },
];

/** Level alarm kinds drawn as limit lines, with the line's dash. */
const LIMIT_DASH = { HIGH_HIGH: [2, 3], HIGH: [8, 4], LOW: [8, 4], LOW_LOW: [2, 3] };

const LINK_TEXT = {
  CONNECTED: 'Link connected',
  CONNECTING: 'Link connecting',
  RECONNECTING: 'Link lost, reconnecting',
  DISCONNECTED: 'Link lost',
  STOPPED: 'Link stopped',
};

export async function mount(root, ctx) {
  const { ui } = ctx;
  const { el } = ui;
  const id = ctx.params.reactorId;
  const base = `/api/reactors/${seg(id)}`;
  const canOperate = ui.roleIncludes(ctx.session.role, 'operator');
  linkStylesheet('/console/vendor/uplot/uPlot.min.css');

  const detail = await ctx.api.get(base);
  const [alarmList, facts] = await Promise.all([
    ctx.api.get(`/api/alarms?reactor=${seg(id)}`).catch(() => []),
    ctx.api.getOr404('/api/plant', { reactors: [] }).catch(() => ({ reactors: [] })),
  ]);
  const signalFacts = new Map(
    ((facts.reactors || []).find((r) => r.reactorId === id) || { signals: [] }).signals.map((s) => [
      s.signal,
      s,
    ]),
  );

  let uPlot = null;
  try {
    uPlot = (await import('/console/vendor/uplot/uPlot.esm.js')).default;
  } catch (e) {
    console.error('uPlot not available', e);
  }

  // ------------------------------------------------------------------ model

  const model = {
    link: detail.link,
    loops: detail.loops,
    interlocks: detail.interlocks || [],
    samples: new Map(), // signal -> {value, unit, quality, stale, time, receivedAt}
    alarms: alarmList,
  };
  for (const s of detail.values || []) model.samples.set(s.signal, { ...s, receivedAt: Date.now() });

  const limitsOf = (signal) =>
    (model.alarms || []).filter((a) => a.source === signal && LIMIT_DASH[a.kind] && Number.isFinite(a.limit));

  // ------------------------------------------------------------------ header

  const linkNode = el('span', { class: 'rd-link', 'data-testid': 'reactor-link', role: 'status' });
  const streamNode = el('span', { class: 'rd-stream', 'data-testid': 'reactor-stream' });
  const runNode = el('span', { class: 'rd-run muted', 'data-testid': 'reactor-run' });
  const interlocksNode = el('span', { class: 'rd-interlocks', 'data-testid': 'reactor-interlocks' });
  const head = el(
    'div',
    { class: 'rd-head', 'data-testid': 'reactor-header' },
    el('a', { href: '#/overview', class: 'rd-back', text: '← Overview' }),
    el('h1', {
      'data-testid': 'reactor-title',
      text: detail.displayName && detail.displayName !== id ? `${id} · ${detail.displayName}` : id,
    }),
    linkNode,
    streamNode,
    interlocksNode,
    runNode,
  );

  function renderHeader() {
    const link = model.link;
    const state = link ? link.state : 'UNKNOWN';
    const lost = state !== 'CONNECTED';
    const stream = ctx.stream.status();
    const streamDown = stream.state !== 'open';
    head.classList.toggle('rd-head-lost', lost || streamDown);
    head.dataset.link = state;
    let text = LINK_TEXT[state] || `Link ${state.toLowerCase()}`;
    if (link && link.since) {
      text += lost
        ? ` since ${ui.formatDateTime(link.since)} (${ui.formatAge(link.since)} ago)`
        : ` since ${ui.formatTime(link.since)}`;
    }
    if (lost && link && link.reason) text += `: ${link.reason}`;
    linkNode.textContent = (lost ? '⚠ ' : '● ') + text;
    const tripped = model.interlocks.filter((i) => i.tripped);
    setText(
      interlocksNode,
      tripped.length
        ? `⚠ Interlock tripped: ${tripped
            .map((i) => `${i.interlockId}${i.latched ? ' (latched: reset needed)' : ''}${i.cause ? ` (${i.cause})` : ''}`)
            .join(', ')}`
        : 'Interlocks: none tripped',
    );
    interlocksNode.classList.toggle('fp-abnormal', tripped.length > 0);
    streamNode.hidden = !streamDown;
    streamNode.textContent = streamDown
      ? `⚠ Live updates interrupted since ${ui.formatTime(stream.since)}: values may be old`
      : '';
  }

  // ------------------------------------------------------------------ faceplates

  const refusals = new Map();
  const plates = model.loops.map((loop) => createFaceplate(loop));
  const viewOnly = canOperate
    ? null
    : el('p', {
        class: 'notice',
        'data-testid': 'view-only',
        text: `View only: as ${ctx.session.role} you cannot change setpoints, modes or outputs.`,
      });

  function createFaceplate(loop) {
    const L = loop.loopId;
    const pv = el('span', { class: 'fp-pv-value', 'data-testid': `pv-${L}` });
    const sp = el('span', { 'data-testid': `sp-${L}` });
    const wsp = el('span', { class: 'muted', 'data-testid': `wsp-${L}` });
    const out = el('span', { 'data-testid': `out-${L}` });
    const mode = el('span', { class: 'fp-mode', 'data-testid': `mode-${L}` });
    const interlock = el('span', { 'data-testid': `interlock-${L}` });
    const override = el('span', { 'data-testid': `override-${L}` });
    const limitsText = el('span', { class: 'fp-limits muted', 'data-testid': `limits-${L}` });
    const range = scaleOf(loop);
    const bar = ui.analogBar({
      min: range.min,
      max: range.max,
      label: `${loop.pv}: value against setpoint and alarm limits`,
    });
    const refusal = el('p', {
      class: 'form-error',
      role: 'alert',
      'data-testid': `refusal-${L}`,
      hidden: true,
    });
    refusals.set(L, refusal);
    const row = (label, ...nodes) => el('div', { class: 'fp-row' }, el('span', { class: 'fp-label', text: label }), ...nodes);
    const controls = canOperate
      ? el(
          'div',
          { class: 'fp-controls', role: 'group', 'aria-label': `Controls of loop ${L}` },
          el('button', {
            type: 'button',
            class: 'btn',
            'data-testid': `ctl-sp-${L}`,
            'aria-label': `Change setpoint of ${L}`,
            text: 'Setpoint…',
            onclick: () => changeSetpoint(loop),
          }),
          el('button', {
            type: 'button',
            class: 'btn',
            'data-testid': `ctl-mode-${L}`,
            'aria-label': `Change mode of ${L}`,
            text: 'Mode…',
            onclick: () => changeMode(loop),
          }),
          el('button', {
            type: 'button',
            class: 'btn',
            'data-testid': `ctl-out-${L}`,
            'aria-label': `Set manual output of ${L}`,
            text: 'Manual output…',
            onclick: () => changeOutput(loop),
          }),
        )
      : null;
    const node = el(
      'section',
      { class: 'panel faceplate', 'data-testid': `faceplate-${L}`, 'aria-label': `Loop ${L}` },
      el('h2', {}, L, el('span', { class: 'muted fp-sub', text: ` PV ${loop.pv} → ${loop.output}` })),
      el('div', { class: 'fp-pv' }, el('span', { class: 'fp-label', text: 'PV' }), pv),
      bar.node,
      limitsText,
      row('SP', sp, ' ', wsp),
      row('Output', out),
      row('Mode', mode),
      row('Interlock', interlock),
      row('Override', override),
      controls,
      refusal,
    );

    function render() {
      const sample = model.samples.get(loop.pv);
      const quality = sample
        ? ui.qualityOf(sample, { receivedAtMs: sample.receivedAt, maxAgeMs: STALE_AFTER_MS })
        : 'missing';
      const snap = loop.snapshot || {};
      const unit = loop.pvUnit;
      const limits = limitsOf(loop.pv);
      const hi = minOf(limits.filter((a) => a.kind === 'HIGH' || a.kind === 'HIGH_HIGH').map((a) => a.limit));
      const lo = maxOf(limits.filter((a) => a.kind === 'LOW' || a.kind === 'LOW_LOW').map((a) => a.limit));
      ui.renderValue(pv, sample ? { ...sample, unit } : null, { unit, quality });
      const abnormal =
        quality === 'good' && sample && ((hi !== null && sample.value > hi) || (lo !== null && sample.value < lo));
      pv.classList.toggle('val-abnormal', Boolean(abnormal));
      pv.dataset.value = sample && sample.value !== null ? String(sample.value) : '';
      const target = loop.settings ? loop.settings.setpoint : snap.setpoint;
      setText(sp, ui.formatValue(target, unit));
      sp.dataset.value = target === null || target === undefined ? '' : String(target);
      setText(
        wsp,
        Number.isFinite(snap.setpoint) && Number.isFinite(target) && Math.abs(snap.setpoint - target) > 1e-9
          ? `(working ${ui.formatValue(snap.setpoint, unit)}, ramping)`
          : '',
      );
      setText(out, ui.formatValue(snap.output, loop.outputUnit));
      const modeText = snap.mode || (loop.settings && loop.settings.mode) || '—';
      setText(mode, modeText);
      mode.dataset.mode = modeText;
      const tripped = snap.interlock;
      setText(interlock, tripped ? `⚠ TRIPPED: ${tripped}` : 'none');
      interlock.classList.toggle('fp-abnormal', Boolean(tripped));
      setText(override, snap.overrideActive ? '⚠ override controller active' : 'not active');
      override.classList.toggle('fp-abnormal', Boolean(snap.overrideActive));
      setText(
        limitsText,
        limits.length
          ? limits
              .slice()
              .sort((a, b) => a.limit - b.limit)
              .map((a) => `${a.kind.replace('_', '-')} ${ui.formatValue(a.limit, unit)}`)
              .join(' · ')
          : `SP limits ${ui.formatValue(loop.setpointLimits.min, unit)} – ${ui.formatValue(loop.setpointLimits.max, unit)}`,
      );
      bar.update({
        value: sample ? sample.value : NaN,
        setpoint: target,
        lo,
        hi,
        quality,
      });
    }
    return { loop, node, render };
  }

  function scaleOf(loop) {
    const f = signalFacts.get(loop.pv);
    if (f && f.range && Number.isFinite(f.range.min) && Number.isFinite(f.range.max)) return f.range;
    const values = [loop.setpointLimits.min, loop.setpointLimits.max, ...limitsOf(loop.pv).map((a) => a.limit)].filter(
      Number.isFinite,
    );
    const min = Math.min(...values);
    const max = Math.max(...values);
    const pad = (max - min) * 0.15 || 1;
    return { min: min - pad, max: max + pad };
  }

  // ------------------------------------------------------------------ commands

  async function send(loop, path, body, what) {
    const refusal = refusals.get(loop.loopId);
    refusal.hidden = true;
    try {
      const r = await ctx.api.put(`${base}/loops/${seg(loop.loopId)}/${path}`, body);
      ui.toast(`${loop.loopId}: ${what} accepted${r && r.message ? ` (${r.message})` : ''}`, { kind: 'ok' });
      await refreshState();
    } catch (e) {
      if (e.status === 401) return;
      refusal.textContent = `${loop.loopId}: ${what} refused. ${e.describe ? e.describe() : String(e)}`;
      refusal.hidden = false;
      ui.showError(e, `${loop.loopId}: ${what} refused`);
    }
  }

  async function changeSetpoint(loop) {
    const unit = loop.pvUnit;
    const now = loop.settings ? loop.settings.setpoint : loop.snapshot && loop.snapshot.setpoint;
    const lim = loop.setpointLimits;
    const answer = await ui.confirmDialog({
      title: `Change setpoint of ${loop.loopId}`,
      message: `Now ${ui.formatValue(now, unit)}. Allowed ${ui.formatValue(lim.min, unit)} to ${ui.formatValue(lim.max, unit)}.`,
      reason: 'required',
      confirmLabel: 'Change setpoint',
      fields: [
        {
          name: 'setpoint',
          label: `New setpoint (${unit})`,
          type: 'number',
          step: 'any',
          value: Number.isFinite(now) ? now : '',
        },
      ],
    });
    if (!answer) return;
    const v = answer.values.setpoint;
    await send(loop, 'setpoint', { setpoint: v, comment: answer.reason }, `setpoint ${ui.formatValue(v, unit)}`);
  }

  async function changeMode(loop) {
    const modes = ['OFF', 'MANUAL', 'AUTO'].concat(loop.cascade ? ['CASCADE'] : []);
    const now = (loop.snapshot && loop.snapshot.mode) || (loop.settings && loop.settings.mode);
    const answer = await ui.confirmDialog({
      title: `Change mode of ${loop.loopId}`,
      message: `Now ${now || 'unknown'}.`,
      reason: 'required',
      confirmLabel: 'Change mode',
      fields: [{ name: 'mode', label: 'New mode', options: modes.map((m) => ({ value: m, label: m })), value: now }],
    });
    if (!answer) return;
    await send(loop, 'mode', { mode: answer.values.mode, comment: answer.reason }, `mode ${answer.values.mode}`);
  }

  async function changeOutput(loop) {
    const unit = loop.outputUnit;
    const now = loop.settings ? loop.settings.manualOutput : null;
    const r = loop.outputRange || {};
    const answer = await ui.confirmDialog({
      title: `Manual output of ${loop.loopId}`,
      message: `Used while the loop is in MANUAL. Allowed ${ui.formatValue(r.min, unit)} to ${ui.formatValue(r.max, unit)}.`,
      reason: 'required',
      confirmLabel: 'Set output',
      fields: [
        {
          name: 'output',
          label: `Manual output (${unit})`,
          type: 'number',
          step: 'any',
          value: Number.isFinite(now) ? now : '',
        },
      ],
    });
    if (!answer) return;
    const v = answer.values.output;
    await send(loop, 'manual-output', { output: v, comment: answer.reason }, `manual output ${ui.formatValue(v, unit)}`);
  }

  async function refreshState() {
    try {
      const d = await ctx.api.get(base);
      model.link = d.link;
      model.interlocks = d.interlocks || [];
      for (const l of d.loops) {
        const mine = model.loops.find((x) => x.loopId === l.loopId);
        if (mine) {
          mine.settings = l.settings;
          if (l.snapshot) mine.snapshot = l.snapshot;
        }
      }
      renderAll();
    } catch (e) {
      // a 401 goes to login through the app; anything else waits for the next refresh
    }
  }

  // ------------------------------------------------------------------ trends

  const trends = createTrends();

  function createTrends() {
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

    async function loadHistory() {
      const seq = ++fetchSeq;
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
        historyNote.textContent = `History from InfluxDB, ${ui.formatDuration(h.bucketMs)} per point; live data from the stream.`;
        historyNote.dataset.source = 'influxdb';
      } catch (e) {
        if (seq !== fetchSeq || e.status === 401) return;
        if (e.status === 503) historyAvailable = false;
        history.clear();
        historyNote.textContent = `${e.status === 503 ? 'Live data only' : 'History unavailable'}: ${e.describe ? e.describe() : e}`;
        historyNote.dataset.source = 'live';
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
      for (const t of h.bad) if (t >= w.from && t <= w.to) bad.push(t);
      for (const p of live.get(loop.loopId)) {
        if (p.t <= lastT || p.t < w.from || p.t > w.to) continue;
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
      const data = [xs, vs, sps, ...limits.map((a) => xs.map(() => a.limit))];
      return { data, limits, bad, historyPoints };
    }

    function chartFor(loop, limits, width) {
      const key = limits.map((a) => `${a.alarmId}:${a.limit}`).join(',');
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
        ],
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
      holder.u = new uPlot(opts, [[], [], [], ...limits.map(() => [])], chartNodes[model.loops.indexOf(loop)].lastChild);
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
        const { data, limits, bad, historyPoints } = dataFor(loop, w);
        const chart = chartFor(loop, limits, width);
        chart.bad = bad;
        chart.u.batch(() => {
          if (chart.u.width !== width) chart.u.setSize({ width, height: 220 });
          chart.u.setData(data, false);
          chart.u.setScale('x', { min: w.from, max: w.to });
        });
        figure.lastChild.dataset.points = String(data[1].filter((v) => v !== null).length);
        figure.lastChild.dataset.bad = String(bad.length);
        figure.lastChild.dataset.historyPoints = String(historyPoints);
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
        charts.forEach((c) => c.u.destroy());
        if (labChart) labChart.u.destroy();
      },
    };
  }

  // ------------------------------------------------------------------ assemble and go live

  root.append(
    ...[head, viewOnly].filter(Boolean),
    el('div', { class: 'rd-plates', 'data-testid': 'faceplates' }, plates.map((p) => p.node)),
    trends.node,
  );

  function renderAll() {
    renderHeader();
    plates.forEach((p) => p.render());
  }

  const frames = ui.perFrame(() => renderAll());
  const offs = [
    ctx.stream.on('sample', (data, meta) => {
      if (data.reactorId !== id) return;
      const now = Date.now();
      for (const s of data.values) {
        model.samples.set(s.signal, { ...s, receivedAt: now });
        for (const loop of model.loops) if (loop.pv === s.signal) trends.acceptSample(loop, s, now);
      }
      frames.push('all', true);
    }),
    ctx.stream.on('loop', (data) => {
      if (data.reactorId !== id) return;
      const loop = model.loops.find((l) => l.loopId === data.loopId);
      if (!loop) return;
      const modeChanged = loop.snapshot && loop.snapshot.mode !== data.mode;
      loop.snapshot = data;
      if (modeChanged) refreshState();
      frames.push('all', true);
    }),
    ctx.stream.on('event', (data) => {
      if (data.reactorId === id && (data.type === 'link' || data.type === 'interlock')) refreshState();
    }),
    ctx.stream.on('status', () => frames.push('all', true)),
    ctx.stream.on('reset', () => refreshState()),
    ctx.alarms.onChange(() => {
      const mine = ctx.alarms.ofReactor(id);
      if (mine.length) model.alarms = mine;
      frames.push('all', true);
    }),
  ];
  renderAll();
  trends.loadHistory();
  trends.loadLab();
  // Staleness and ages move with time alone; the trend window too.
  const tick = setInterval(() => frames.push('all', true), 1000);
  const redraw = setInterval(() => trends.draw(), 2000);
  const refresh = setInterval(() => refreshState(), 15000);
  const onResize = () => trends.draw();
  window.addEventListener('resize', onResize);

  return () => {
    offs.forEach((off) => off());
    clearInterval(tick);
    clearInterval(redraw);
    clearInterval(refresh);
    window.removeEventListener('resize', onResize);
    trends.destroy();
  };
}

function linkStylesheet(href) {
  if (document.querySelector(`link[href="${href}"]`)) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = href;
  document.head.append(link);
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

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

function iso(seconds) {
  return new Date(Math.round(seconds * 1000)).toISOString();
}

function num(v) {
  const n = Number(v);
  return v === null || v === undefined || !Number.isFinite(n) ? null : n;
}

function minOf(list) {
  return list.length ? Math.min(...list) : null;
}

function maxOf(list) {
  return list.length ? Math.max(...list) : null;
}
