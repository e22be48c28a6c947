// Plant overview: one tile per reactor with link state, run and phase, the key values against
// their setpoints and alarm limits, and its worst active alarm. Live from the SSE stream; each
// tile's DOM is updated at most once per animation frame, however many samples arrive.

import { seg } from '../api.js';

/** The rows of a tile: signal, label, and how the setpoint is found. */
const ROWS = [
  { key: 'temperature', label: 'Temp' },
  { key: 'do_inlet', label: 'pO₂ in' },
  { key: 'do_outlet', label: 'pO₂ out' },
  { key: 'flow', label: 'Flow' },
  { key: 'pressure_inlet', label: 'Press.' },
  { key: 'our', label: 'OUR' },
];

/** A value not refreshed for this long is shown stale (samples come every second). */
const STALE_AFTER_MS = 5000;

/** Latency figures kept for tests (arrival of a sample on the stream → its tile updated). */
const LATENCY_KEEP = 20000;

const OUR_UNIT_PER_CELLS = 'nmol/min/10⁶ cells';
const OUR_UNIT = 'nmol/min';

export async function mount(root, ctx) {
  const { el, ui } = { el: ctx.ui.el, ui: ctx.ui };
  const canSet = ui.roleIncludes(ctx.session.role, 'operator');
  const [reactors, facts] = await Promise.all([
    ctx.api.get('/api/reactors'),
    ctx.api.getOr404('/api/plant', { reactors: [] }),
  ]);
  const factsById = new Map((facts.reactors || []).map((f) => [f.reactorId, f]));

  const grid = el('div', {
    class: `tiles${reactors.length > 16 ? ' tiles-compact' : ''}`,
    'data-testid': 'overview-tiles',
  });
  const summary = el('span', { class: 'muted', 'data-testid': 'overview-summary' });
  root.append(
    el('div', { class: 'page-head' }, el('h1', { text: 'Plant overview' }), summary),
    grid,
  );

  const tiles = new Map();
  for (const r of reactors) {
    const tile = createTile(r, factsById.get(r.reactorId), ctx, canSet);
    tiles.set(r.reactorId, tile);
    grid.append(tile.node);
  }
  summary.textContent = `${reactors.length} reactor${reactors.length === 1 ? '' : 's'}`;

  // Latency of the live path, read by OverviewLatencyIT: ms from a sample's arrival to its tile.
  const latency = (window.hepaloopOverviewLatencyMs = window.hepaloopOverviewLatencyMs || []);

  const frames = ui.perFrame((reactorId) => {
    const tile = tiles.get(reactorId);
    if (!tile) return;
    tile.render();
    const done = performance.now();
    for (const t of tile.arrivals) latency.push(done - t);
    tile.arrivals.length = 0;
    if (latency.length > LATENCY_KEEP) latency.splice(0, latency.length - LATENCY_KEEP);
  });
  const touchAll = () => tiles.forEach((t, id) => frames.push(id, true));

  // Initial state of each reactor: values, loops (setpoints), in parallel.
  await Promise.all(
    reactors.map(async (r) => {
      try {
        const detail = await ctx.api.get(`/api/reactors/${seg(r.reactorId)}`);
        tiles.get(r.reactorId).loadDetail(detail);
      } catch (e) {
        if (e.status === 401) throw e;
        tiles.get(r.reactorId).setError(e);
      }
    }),
  );
  await loadRuns();
  touchAll();

  async function loadRuns() {
    // The run API arrives with issue 9: without it, tiles say no run.
    try {
      const runs = await ctx.api.getOr404('/api/runs', null);
      if (!runs) return;
      const open = new Map();
      for (const run of runs.runs || []) {
        if (run.endedAt) continue;
        if (!open.has(run.reactorId)) open.set(run.reactorId, run);
      }
      tiles.forEach((t, id) => t.setRun(open.get(id) || null));
    } catch (e) {
      if (e.status === 401) throw e;
    }
  }

  async function loadLinks() {
    try {
      const list = await ctx.api.get('/api/reactors');
      for (const r of list) {
        const t = tiles.get(r.reactorId);
        if (t) {
          t.setLink(r.link);
          frames.push(r.reactorId, true);
        }
      }
    } catch (e) {
      // a 401 is handled by the app; anything else waits for the next refresh
    }
  }

  let linkTimer = null;
  let wasDown = ctx.stream.status().state !== 'open';
  const offs = [
    ctx.stream.on('sample', (data, meta) => {
      const t = tiles.get(data.reactorId);
      if (!t) return;
      t.acceptSamples(data.values, meta.receivedAt);
      t.arrivals.push(meta.receivedAt);
      frames.push(data.reactorId, true);
    }),
    ctx.stream.on('loop', (data) => {
      const t = tiles.get(data.reactorId);
      if (!t) return;
      t.acceptLoop(data);
      frames.push(data.reactorId, true);
    }),
    ctx.stream.on('event', (data) => {
      if (data.type === 'link' && tiles.has(data.reactorId) && !linkTimer) {
        linkTimer = setTimeout(() => {
          linkTimer = null;
          loadLinks();
        }, 300);
      }
    }),
    ctx.stream.on('run', (data) => {
      const t = tiles.get(data.reactorId);
      if (!t) return;
      t.acceptRunEvent(data);
      frames.push(data.reactorId, true);
    }),
    ctx.stream.on('reset', () => {
      loadLinks();
      loadRuns().then(touchAll);
    }),
    ctx.stream.on('status', (s) => {
      // Back after a break: what changed meanwhile without an event still held comes over REST.
      if (s.state === 'open' && wasDown) {
        loadLinks();
        loadRuns().then(touchAll);
      }
      wasDown = s.state !== 'open';
    }),
    ctx.alarms.onChange(touchAll),
  ];
  // Staleness and link age move with time alone: re-render every second (cheap: text compares).
  // No polling of the API: the session may idle out while nobody uses the console.
  const tick = setInterval(touchAll, 1000);

  return () => {
    offs.forEach((off) => off());
    clearInterval(tick);
    if (linkTimer) clearTimeout(linkTimer);
  };
}

/**
 * One reactor's tile: its model (latest samples, setpoints, link, run) and its DOM, re-rendered by
 * render() which touches only what changed.
 */
function createTile(reactor, facts, ctx, canSet) {
  const { el, ui } = { el: ctx.ui.el, ui: ctx.ui };
  const id = reactor.reactorId;
  const samples = new Map(); // signal -> {value, unit, quality, stale, time, receivedAt}
  const setpoints = new Map(); // signal -> number
  const loopsBySignal = new Map(); // signal -> {loopId, limits, unit, cascade}
  let loops = [];
  let link = reactor.link;
  let run = null;
  let error = null;
  const units = new Map((facts && facts.signals ? facts.signals : []).map((s) => [s.signal, s.unit]));
  const ranges = new Map((facts && facts.signals ? facts.signals : []).map((s) => [s.signal, s.range]));

  const name = el('a', {
    class: 'tile-name',
    href: `#/reactor/${encodeURIComponent(id)}`,
    'data-testid': `tile-name-${id}`,
    text: reactor.displayName && reactor.displayName !== id ? `${id} · ${reactor.displayName}` : id,
  });
  const linkNode = el('span', { class: 'tile-link', 'data-testid': `tile-link-${id}` });
  const alarmNode = el('span', { class: 'tile-alarm', 'data-testid': `tile-alarm-${id}` });
  const runNode = el('div', { class: 'tile-run', 'data-testid': `tile-run-${id}` });
  const rows = new Map();
  const table = el('div', { class: 'tile-rows' });
  for (const row of ROWS) {
    const value = el('span', { class: 'tile-val', 'data-testid': `val-${id}-${row.key}` });
    const sp = el('span', { class: 'tile-sp', 'data-testid': `sp-${id}-${row.key}` });
    const bar =
      row.key === 'our'
        ? { node: el('span', { class: 'abar-none' }), update() {} }
        : ui.analogBar({ label: `${row.label} against setpoint and limits` });
    const line = el(
      'div',
      { class: 'tile-row', 'data-signal': row.key },
      el('span', { class: 'tile-label', text: row.label }),
      value,
      bar.node,
      sp,
    );
    table.append(line);
    rows.set(row.key, { value, sp, bar, line, rendered: '' });
  }
  const actions = canSet
    ? el(
        'button',
        {
          type: 'button',
          class: 'btn btn-small tile-action',
          'data-testid': `sp-button-${id}`,
          title: 'Change a setpoint of this reactor',
          onclick: () => changeSetpoint(),
        },
        'Setpoint…',
      )
    : null;
  const node = el(
    'article',
    { class: 'tile', 'data-testid': `tile-${id}`, 'aria-label': `Reactor ${id}` },
    el('header', { class: 'tile-head' }, name, alarmNode),
    el('div', { class: 'tile-sub' }, linkNode, runNode),
    table,
    actions ? el('footer', { class: 'tile-foot' }, actions) : null,
  );

  let lastLink = '';
  let lastRun = '';
  let lastAlarm = '';

  let limitsVersion = -1;
  const limitsCache = new Map();

  /** Limits for a signal from the alarm definitions: {lo, hi, loLo, hiHi}, cached per load. */
  function limitsOf(signal) {
    if (limitsVersion !== ctx.alarms.version()) {
      limitsCache.clear();
      limitsVersion = ctx.alarms.version();
    }
    if (!limitsCache.has(signal)) limitsCache.set(signal, computeLimits(signal));
    return limitsCache.get(signal);
  }

  function computeLimits(signal) {
    const out = {};
    for (const a of ctx.alarms.ofReactor(id)) {
      if (a.source !== signal || a.limit === null || a.limit === undefined) continue;
      if (a.kind === 'LOW') out.lo = a.limit;
      else if (a.kind === 'HIGH') out.hi = a.limit;
      else if (a.kind === 'LOW_LOW') out.loLo = a.limit;
      else if (a.kind === 'HIGH_HIGH') out.hiHi = a.limit;
    }
    return out;
  }

  /** A scale around what matters: limits and setpoint, within the instrument's range. */
  function scaleOf(signal, sp, lim) {
    const marks = [sp, lim.lo, lim.hi, lim.loLo, lim.hiHi].filter((v) => Number.isFinite(v));
    const range = ranges.get(signal);
    const loop = loopsBySignal.get(signal);
    if (marks.length < 2 && loop && loop.limits) {
      marks.push(loop.limits.min, loop.limits.max);
    }
    let min = Math.min(...marks);
    let max = Math.max(...marks);
    if (!Number.isFinite(min) || !Number.isFinite(max)) {
      if (range && Number.isFinite(range.min) && Number.isFinite(range.max)) return range;
      return { min: 0, max: 100 };
    }
    if (max - min < 1e-9) {
      min -= Math.abs(min) * 0.1 || 1;
      max += Math.abs(max) * 0.1 || 1;
    }
    if (Number.isFinite(sp) && !Number.isFinite(lim.hi) && !Number.isFinite(lim.hiHi)) {
      max = Math.max(max, sp + (sp - min)); // no high limit: mirror the low side
    }
    if (Number.isFinite(sp) && !Number.isFinite(lim.lo) && !Number.isFinite(lim.loLo)) {
      min = Math.min(min, sp - (max - sp));
    }
    const margin = (max - min) * 0.12;
    min -= margin;
    max += margin;
    if (range) {
      if (Number.isFinite(range.min)) min = Math.max(min, range.min);
      if (Number.isFinite(range.max)) max = Math.min(max, range.max);
    }
    return { min, max };
  }

  /** OUR from flow and the two pO2 values (OUR = Q · α · (pO2in − pO2out)), worst quality. */
  function our() {
    const q = samples.get('flow');
    const i = samples.get('do_inlet');
    const o = samples.get('do_outlet');
    const alpha = facts ? facts.oxygenSolubilityNmolPerMlMmHg : null;
    if (!q || !i || !o || !Number.isFinite(alpha)) return null;
    const qualities = [q, i, o].map((s) =>
      ui.qualityOf(s, { receivedAtMs: s.receivedAtMs, maxAgeMs: STALE_AFTER_MS }),
    );
    const worst = ['bad', 'stale', 'uncertain', 'good'].find((k) => qualities.includes(k)) || 'good';
    const total =
      q.value === null || i.value === null || o.value === null
        ? null
        : q.value * alpha * (i.value - o.value);
    const cells = run && Number.isFinite(run.cellsSeeded) ? run.cellsSeeded : facts.cellsSeeded;
    if (Number.isFinite(cells) && cells > 0) {
      return {
        sample: { value: total === null ? null : total / (cells / 1e6), quality: worst === 'bad' ? 'BAD' : 'GOOD' },
        unit: OUR_UNIT_PER_CELLS,
        quality: worst,
        note: '',
      };
    }
    return {
      sample: { value: total, quality: worst === 'bad' ? 'BAD' : 'GOOD' },
      unit: OUR_UNIT,
      quality: worst,
      note: 'whole construct: cells seeded unknown',
    };
  }

  function renderRow(key, now) {
    const r = rows.get(key);
    let sample;
    let unit;
    let quality;
    let note = '';
    if (key === 'our') {
      const d = our();
      sample = d ? d.sample : null;
      unit = d ? d.unit : OUR_UNIT;
      quality = d ? d.quality : 'missing';
      note = d ? d.note : 'needs flow and both pO₂';
    } else {
      sample = samples.get(key) || null;
      unit = (sample && sample.unit) || units.get(key) || '';
      quality = ui.qualityOf(sample, {
        receivedAtMs: sample && sample.receivedAtMs,
        maxAgeMs: STALE_AFTER_MS,
        now,
      });
    }
    if (link && link.state && link.state !== 'CONNECTED' && sample && quality !== 'bad') {
      quality = 'stale';
    }
    const sp = setpoints.get(key);
    const lim = key === 'our' ? {} : limitsOf(key);
    const value = sample ? sample.value : null;
    const outside =
      quality !== 'bad' &&
      Number.isFinite(value) &&
      ((Number.isFinite(lim.lo) && value < lim.lo) || (Number.isFinite(lim.hi) && value > lim.hi) ||
        (Number.isFinite(lim.loLo) && value < lim.loLo) || (Number.isFinite(lim.hiHi) && value > lim.hiHi));
    const signature = `${value}|${quality}|${sp}|${unit}|${outside}|${lim.lo}|${lim.hi}`;
    if (signature === r.rendered) return;
    r.rendered = signature;
    ui.renderValue(r.value, sample, { unit, quality });
    r.value.classList.toggle('val-abnormal', Boolean(outside));
    if (outside && quality !== 'bad') {
      r.value.append(el('span', { class: 'q-mark', text: value < (lim.lo ?? lim.loLo) ? 'LOW' : 'HIGH' }));
    }
    if (note) r.value.title = `${r.value.title ? `${r.value.title}; ` : ''}${note}`;
    r.line.dataset.quality = quality;
    r.sp.textContent = Number.isFinite(sp) ? `SP ${ui.formatNumber(sp, decimals(unit))}` : '';
    const scale = key === 'our' ? { min: r.scaleMin, max: r.scaleMax } : scaleOf(key, sp, lim);
    if (scale.min !== r.scaleMin || scale.max !== r.scaleMax) {
      const bar = ui.analogBar({ ...scale, lo: lim.lo ?? null, hi: lim.hi ?? null, label: r.bar.node.getAttribute('aria-label') });
      r.bar.node.replaceWith(bar.node);
      r.bar = bar;
      r.scaleMin = scale.min;
      r.scaleMax = scale.max;
    }
    r.bar.update({ value, setpoint: sp, quality });
  }

  function decimals(unit) {
    return unit === '°C' ? 1 : unit === 'mL/min' ? 2 : unit === 'mmHg' ? 0 : 2;
  }

  function renderLink(now) {
    const state = link ? link.state : 'UNKNOWN';
    const since = link ? link.since : null;
    const lost = state !== 'CONNECTED';
    const text = lost
      ? `${state === 'CONNECTING' ? 'Connecting' : state === 'STOPPED' ? 'Stopped' : 'Link lost'}${
          since ? ` since ${ui.formatTime(since)} (${ui.formatAge(since, now)})` : ''
        }`
      : 'Link OK';
    const key = `${state}|${text}`;
    if (key === lastLink) return;
    lastLink = key;
    linkNode.textContent = text;
    linkNode.title = link && link.reason ? link.reason : '';
    linkNode.dataset.state = state;
    node.classList.toggle('tile-lost', lost);
    node.dataset.link = state;
  }

  function renderRun() {
    const text = error
      ? `✕ ${error}`
      : run
        ? `${run.runId} · ${run.phaseId || run.state || ''}${run.state && run.phaseId ? ` (${run.state})` : ''}`
        : 'No run';
    if (text === lastRun) return;
    lastRun = text;
    runNode.textContent = text;
    runNode.classList.toggle('muted', !run);
  }

  function renderAlarm() {
    const worst = ctx.alarms.worstOf(id);
    const key = worst ? `${worst.alarmId}|${worst.state}|${worst.priority}` : '';
    if (key === lastAlarm) return;
    lastAlarm = key;
    ui.clear(alarmNode);
    node.dataset.alarm = worst ? worst.priority : '';
    if (!worst) {
      alarmNode.title = 'No active alarm';
      return;
    }
    const unack = ui.needsAck(worst.state);
    const badge = ui.priorityBadge(worst.priority, { short: true });
    if (unack) badge.classList.add('unack');
    alarmNode.append(
      badge,
      el('span', { class: 'tile-alarm-id', text: worst.alarmId }),
      unack ? el('span', { class: 'q-mark', text: 'UNACK' }) : null,
    );
    alarmNode.title = `${worst.alarmId}: ${ui.alarmStateText(worst.state)}`;
  }

  async function changeSetpoint() {
    const options = loops
      .filter((l) => l.setpointLimits)
      .map((l) => ({
        value: l.loopId,
        label: `${l.loopId} (${l.pvUnit}; ${l.setpointLimits.min}–${l.setpointLimits.max})`,
      }));
    if (!options.length) {
      ui.toast(`${id}: no loop with a setpoint`, { kind: 'error' });
      return;
    }
    const first = loops.find((l) => l.loopId === options[0].value);
    const answer = await ui.confirmDialog({
      title: `Change setpoint of ${id}`,
      message: 'The loop moves to the new setpoint (ramped where configured). Recorded in the audit trail.',
      confirmLabel: 'Change setpoint',
      fields: [
        { name: 'loopId', label: 'Loop', options, value: first.loopId },
        {
          name: 'setpoint',
          label: 'New setpoint',
          type: 'number',
          step: 'any',
          value: Number.isFinite(setpoints.get(first.pv)) ? setpoints.get(first.pv) : '',
        },
      ],
    });
    if (!answer) return;
    const loopId = answer.values.loopId;
    try {
      await ctx.api.put(`/api/reactors/${seg(id)}/loops/${seg(loopId)}/setpoint`, {
        setpoint: answer.values.setpoint,
        ...(answer.reason ? { comment: answer.reason } : {}),
      });
      ui.toast(`${id} ${loopId}: setpoint ${answer.values.setpoint} accepted`, { kind: 'ok' });
    } catch (e) {
      ui.showError(e, `${id} ${loopId}`);
    }
  }

  return {
    node,
    arrivals: [],
    loadDetail(detail) {
      link = detail.link || link;
      loops = detail.loops || [];
      for (const l of loops) {
        loopsBySignal.set(l.pv, { loopId: l.loopId, limits: l.setpointLimits, unit: l.pvUnit });
        const sp = l.snapshot && Number.isFinite(l.snapshot.setpoint) ? l.snapshot.setpoint : l.settings && l.settings.setpoint;
        if (Number.isFinite(sp)) setpoints.set(l.pv, sp);
        if (l.cascade) {
          loopsBySignal.set(l.cascade.pv, { loopId: `${l.loopId}.cascade`, limits: l.cascade.setpointLimits, unit: l.cascade.pvUnit });
          const csp = l.settings && l.settings.cascadeSetpoint;
          if (Number.isFinite(csp)) setpoints.set(l.cascade.pv, csp);
        }
      }
      const now = Date.now();
      for (const v of detail.values || []) {
        samples.set(v.signal, { ...v, receivedAtMs: now });
      }
    },
    acceptSamples(values, receivedAt) {
      const now = Date.now();
      for (const v of values) samples.set(v.signal, { ...v, receivedAtMs: now, receivedAt });
    },
    acceptLoop(snapshot) {
      // loopId is "<loop>" or "<loop>.cascade" / "<loop>.override"
      const [loopId, role] = snapshot.loopId.split('.');
      const loop = loops.find((l) => l.loopId === loopId);
      if (!loop || !Number.isFinite(snapshot.setpoint)) return;
      if (!role) setpoints.set(loop.pv, snapshot.setpoint);
      else if (role === 'cascade' && loop.cascade) setpoints.set(loop.cascade.pv, snapshot.setpoint);
    },
    acceptRunEvent(data) {
      if (run && run.runId === data.runId) {
        run = { ...run, state: data.state, phaseIndex: data.phaseIndex, phaseId: data.phaseId };
      } else {
        run = { runId: data.runId, reactorId: data.reactorId, state: data.state, phaseId: data.phaseId };
      }
      if (['COMPLETE', 'COMPLETED', 'ABORTED', 'STOPPED', 'ENDED'].includes(String(data.state).toUpperCase())) {
        run = null;
      }
    },
    setRun(r) {
      run = r;
    },
    setLink(l) {
      link = l;
    },
    setError(e) {
      error = e.describe ? e.describe() : String(e);
    },
    render() {
      const now = Date.now();
      renderLink(now);
      renderRun();
      renderAlarm();
      for (const row of ROWS) renderRow(row.key, now);
    },
  };
}
