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
import { createTrends, LIMIT_DASH } from './reactor-trends.js';

/** A value not refreshed for this long is shown stale (samples come every second). */
const STALE_AFTER_MS = 5000;


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

  const trends = createTrends({ ctx, uPlot, model, base, id, limitsOf, runNode });


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

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

function minOf(list) {
  return list.length ? Math.min(...list) : null;
}

function maxOf(list) {
  return list.length ? Math.max(...list) : null;
}
