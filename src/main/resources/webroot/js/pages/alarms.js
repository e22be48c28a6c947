// Alarm console (#/alarms): the active alarms, most urgent first, with what each means and what to
// do (the definition's rationale); acknowledge one or all visible, shelve with a comment for at most
// the allowed time, unshelve; an unacknowledged critical alarm is announced by a banner, a flashing
// border (steady for users who ask for less motion) and a beep (after a first click or key, as
// browsers require, and with a mute switch). Tabs for the alarm history (filters, paging, CSV) and
// the alarm-system health (rate, flood, chattering, stale, shelved).

import { toCsv, download } from '../csv.js';

/** States listed as active (announced or waiting for an acknowledgement). */
const ACTIVE = ['UNACK_ACTIVE', 'ACK_ACTIVE', 'RTN_UNACK'];
/** States listed apart: taken out of the operator's view on purpose. */
const SET_ASIDE = ['SHELVED', 'OUT_OF_SERVICE'];
const STATES = ['NORMAL', 'UNACK_ACTIVE', 'ACK_ACTIVE', 'RTN_UNACK', 'SHELVED', 'SUPPRESSED_BY_DESIGN', 'OUT_OF_SERVICE'];
const ACK_COMMENT = 'acknowledged at the alarm console';
const BEEP_EVERY_MS = 2500;
const MUTE_KEY = 'hepaloop.alarms.muted';

/** Appends children as ui.el does: arrays flattened, null/false skipped (DOM append would print them). */
function put(node, ...children) {
  for (const c of children.flat(Infinity)) {
    if (c !== null && c !== undefined && c !== false) node.append(c);
  }
  return node;
}

export async function mount(root, ctx) {
  const { api, stream, ui } = ctx;
  const { el, clear } = ui;
  const role = ctx.session ? ctx.session.role : 'viewer';
  const canAct = ui.roleIncludes(role, 'operator');
  const key = (a) => `${a.reactorId}/${a.alarmId}`;
  const alarms = new Map();
  const selected = new Set();
  const cleanups = [];
  let tab = 'active';
  let filterReactor = '';
  let filterPriority = '';

  // ------------------------------------------------------------ layout

  const banner = el('div', {
    class: 'crit-banner unack',
    role: 'alert',
    'data-testid': 'critical-banner',
    hidden: true,
  });
  const tabs = el('div', { class: 'al-tabs', role: 'tablist' });
  const body = el('div', { class: 'al-body' });
  put(root, el('h1', { text: 'Alarms' }), banner, tabs, body);
  for (const [id, label] of [
    ['active', 'Active'],
    ['history', 'History'],
    ['health', 'Alarm health'],
  ]) {
    put(tabs, 
      el('button', {
        type: 'button',
        role: 'tab',
        class: 'btn al-tab',
        'data-testid': `alarms-tab-${id}`,
        'aria-selected': id === tab ? 'true' : 'false',
        text: label,
        onclick: () => show(id),
      }),
    );
  }

  function show(id) {
    tab = id;
    for (const b of tabs.children) {
      b.setAttribute('aria-selected', b.dataset.testid === `alarms-tab-${id}` ? 'true' : 'false');
    }
    clear(body);
    if (id === 'active') put(body, activeView.node);
    else if (id === 'history') put(body, historyView());
    else put(body, healthView());
    if (id === 'active') renderActive();
  }

  // ------------------------------------------------------------ sound

  const sound = (() => {
    let audio = null;
    let muted = localStorage.getItem(MUTE_KEY) === '1';
    const unlock = () => {
      if (!audio && (window.AudioContext || window.webkitAudioContext)) {
        audio = new (window.AudioContext || window.webkitAudioContext)();
      }
      if (audio && audio.state === 'suspended') audio.resume();
    };
    // Browsers let a page make sound only after the user did something on it.
    document.addEventListener('pointerdown', unlock, true);
    document.addEventListener('keydown', unlock, true);
    cleanups.push(() => {
      document.removeEventListener('pointerdown', unlock, true);
      document.removeEventListener('keydown', unlock, true);
      if (audio) audio.close();
    });
    return {
      get muted() {
        return muted;
      },
      setMuted(m) {
        muted = m;
        localStorage.setItem(MUTE_KEY, m ? '1' : '0');
      },
      get allowed() {
        return Boolean(audio && audio.state === 'running');
      },
      beep() {
        if (muted || !audio || audio.state !== 'running') return false;
        const t = audio.currentTime;
        for (const [start, freq] of [
          [0, 880],
          [0.25, 660],
        ]) {
          const osc = audio.createOscillator();
          const gain = audio.createGain();
          osc.type = 'square';
          osc.frequency.value = freq;
          gain.gain.setValueAtTime(0.0001, t + start);
          gain.gain.exponentialRampToValueAtTime(0.15, t + start + 0.02);
          gain.gain.exponentialRampToValueAtTime(0.0001, t + start + 0.2);
          osc.connect(gain).connect(audio.destination);
          osc.start(t + start);
          osc.stop(t + start + 0.22);
        }
        return true;
      },
    };
  })();
  const beepTimer = setInterval(() => {
    if (criticalUnacked().length > 0) sound.beep();
  }, BEEP_EVERY_MS);
  cleanups.push(() => clearInterval(beepTimer));

  // ------------------------------------------------------------ data

  async function reload() {
    try {
      const list = await api.get('/api/alarms');
      alarms.clear();
      for (const a of list) alarms.set(key(a), a);
      for (const k of [...selected]) if (!alarms.has(k)) selected.delete(k);
      renderActive();
    } catch (e) {
      if (e.status !== 401) ui.showError(e, 'Alarms');
    }
  }
  let reloadTimer = null;
  const scheduleReload = (ms = 400) => {
    if (!reloadTimer) {
      reloadTimer = setTimeout(() => {
        reloadTimer = null;
        reload();
      }, ms);
    }
  };
  cleanups.push(() => reloadTimer && clearTimeout(reloadTimer));

  cleanups.push(
    stream.on('alarm', (t) => {
      const a = alarms.get(key(t));
      if (a) {
        // at once from the event; the reload brings who, since when and the message
        if (t.to === 'UNACK_ACTIVE' && !ACTIVE.includes(a.state)) a.activeSince = t.time;
        a.state = t.to;
        if (t.value !== null && t.value !== undefined) a.value = t.value;
        a.lastChange = t.time;
        if (t.message) a.message = t.message;
        renderActive();
      }
      scheduleReload();
    }),
  );
  cleanups.push(stream.on('reset', () => scheduleReload(0)));

  const criticalUnacked = () =>
    [...alarms.values()].filter((a) => a.priority === 'CRITICAL' && ui.needsAck(a.state));

  // ------------------------------------------------------------ active view

  const activeView = (() => {
    const reactorSel = el('select', { 'data-testid': 'alarms-filter-reactor', 'aria-label': 'Reactor' });
    const prioSel = el(
      'select',
      { 'data-testid': 'alarms-filter-priority', 'aria-label': 'Priority' },
      el('option', { value: '', text: 'All priorities' }),
      Object.entries(ui.PRIORITIES).map(([p, d]) => el('option', { value: p, text: `${d.shape} ${d.label}` })),
    );
    reactorSel.addEventListener('change', () => {
      filterReactor = reactorSel.value;
      renderActive();
    });
    prioSel.addEventListener('change', () => {
      filterPriority = prioSel.value;
      renderActive();
    });
    const ackAll = el('button', {
      type: 'button',
      class: 'btn btn-primary',
      'data-testid': 'ack-all-visible',
      text: 'Acknowledge all visible',
      hidden: !canAct,
      onclick: () => acknowledgeAllVisible(),
    });
    const ackSelected = el('button', {
      type: 'button',
      class: 'btn',
      'data-testid': 'ack-selected',
      text: 'Acknowledge selected',
      hidden: !canAct,
      onclick: () => acknowledge([...selected].map((k) => alarms.get(k)).filter((a) => a && ui.needsAck(a.state))),
    });
    const mute = el('button', {
      type: 'button',
      class: 'btn btn-quiet',
      'data-testid': 'alarm-mute',
      'aria-pressed': sound.muted ? 'true' : 'false',
    });
    const soundNote = el('span', { class: 'muted al-sound-note', 'data-testid': 'alarm-sound-state' });
    const renderMute = () => {
      mute.textContent = sound.muted ? '♪ Sound off (muted)' : '♪ Sound on';
      mute.setAttribute('aria-pressed', sound.muted ? 'true' : 'false');
      soundNote.textContent = sound.muted
        ? 'critical alarms are silent'
        : sound.allowed
          ? 'an unacknowledged critical alarm beeps'
          : 'sound starts after your first click or key';
    };
    mute.addEventListener('click', () => {
      sound.setMuted(!sound.muted);
      renderMute();
    });
    renderMute();
    const soundTimer = setInterval(renderMute, 2000);
    cleanups.push(() => clearInterval(soundTimer));
    const count = el('span', { class: 'al-count', 'data-testid': 'alarms-count', role: 'status' });
    const table = el('table', { class: 'grid al-table', 'data-testid': 'alarms-table' });
    const asideTitle = el('h2', { text: 'Shelved and out of service' });
    const aside = el('table', { class: 'grid al-table al-aside', 'data-testid': 'alarms-set-aside' });
    const node = el(
      'section',
      { class: 'al-active' },
      el('div', { class: 'al-toolbar' }, reactorSel, prioSel, ackSelected, ackAll, count, el('span', { class: 'al-spacer' }), soundNote, mute),
      table,
      asideTitle,
      aside,
    );
    return { node, reactorSel, table, aside, asideTitle, count };
  })();

  function visible() {
    return [...alarms.values()]
      .filter((a) => ACTIVE.includes(a.state))
      .filter((a) => !filterReactor || a.reactorId === filterReactor)
      .filter((a) => !filterPriority || a.priority === filterPriority)
      .sort(byPriorityThenTime);
  }

  function byPriorityThenTime(a, b) {
    const p = ui.priorityRank(a.priority) - ui.priorityRank(b.priority);
    if (p !== 0) return p;
    return timeOf(b) - timeOf(a); // newest first within a priority
  }
  const timeOf = (a) => Date.parse(a.activeSince || a.lastChange || '') || 0;

  function renderBanner() {
    const crit = criticalUnacked();
    banner.hidden = crit.length === 0;
    clear(banner);
    if (crit.length) {
      put(banner, 
        el('strong', { text: `◆ CRITICAL ALARM${crit.length > 1 ? 'S' : ''} NOT ACKNOWLEDGED (${crit.length}): ` }),
        crit.map((a) => `${a.reactorId} ${a.alarmId}`).join(', '),
        canAct
          ? el('button', {
              type: 'button',
              class: 'btn btn-danger',
              'data-testid': 'ack-critical',
              text: 'Acknowledge critical',
              onclick: () => acknowledge(crit),
            })
          : null,
      );
    }
  }

  function renderActive() {
    renderBanner();
    if (tab !== 'active') return;
    const v = activeView;
    const reactors = [...new Set([...alarms.values()].map((a) => a.reactorId))].sort();
    if (v.reactorSel.options.length !== reactors.length + 1) {
      put(clear(v.reactorSel), 
        el('option', { value: '', text: 'All reactors' }),
        reactors.map((r) => el('option', { value: r, text: r })),
      );
      v.reactorSel.value = filterReactor;
    }
    const list = visible();
    const unack = list.filter((a) => ui.needsAck(a.state)).length;
    v.count.textContent = `${list.length} active, ${unack} unacknowledged`;
    put(clear(v.table), 
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', { scope: 'col' }, el('span', { class: 'sr-only', text: 'Select' })),
          ['Priority', 'Reactor', 'Alarm', 'State', 'Value', 'Limit', 'Age', 'What it means and what to do', ''].map((h) =>
            el('th', { scope: 'col', text: h }),
          ),
        ),
      ),
      el(
        'tbody',
        {},
        list.length
          ? list.map(row)
          : el('tr', {}, el('td', { colspan: 10, class: 'muted', 'data-testid': 'alarms-none', text: 'No active alarms.' })),
      ),
    );
    const aside = [...alarms.values()]
      .filter((a) => SET_ASIDE.includes(a.state))
      .filter((a) => !filterReactor || a.reactorId === filterReactor)
      .sort(byPriorityThenTime);
    v.asideTitle.hidden = aside.length === 0;
    put(clear(v.aside), 
      el('tbody', {}, aside.map((a) => asideRow(a))),
    );
  }

  function row(a) {
    const k = key(a);
    const needs = ui.needsAck(a.state);
    const check = el('input', {
      type: 'checkbox',
      'aria-label': `select ${k}`,
      checked: selected.has(k),
      'data-testid': 'alarm-select',
      onchange: (e) => (e.target.checked ? selected.add(k) : selected.delete(k)),
    });
    const r = a.rationale || {};
    return el(
      'tr',
      {
        class: ['al-row', needs ? 'al-unack' : null, a.priority === 'CRITICAL' && needs ? 'al-critical unack' : null],
        'data-testid': 'alarm-row',
        dataset: { reactor: a.reactorId, alarm: a.alarmId, state: a.state, priority: a.priority || '' },
      },
      el('td', {}, canAct ? check : null),
      el('td', {}, ui.priorityBadge(a.priority)),
      el('td', { text: a.reactorId }),
      el('td', {}, el('span', { class: 'al-id', text: a.alarmId }), el('div', { class: 'muted al-kind', text: [a.kind, a.source].filter(Boolean).join(' · ') })),
      el('td', { 'data-testid': 'alarm-state', text: `${needs ? '⚠ ' : ''}${ui.alarmStateText(a.state)}` }),
      el('td', { class: 'num', 'data-testid': 'alarm-value', text: ui.formatNumber(a.value, 2) }),
      el('td', { class: 'num', text: ui.formatNumber(a.limit, 2) }),
      el('td', { class: 'num al-age', dataset: { since: a.activeSince || a.lastChange || '' }, text: ui.formatAge(a.activeSince || a.lastChange) }),
      el(
        'td',
        { class: 'al-why' },
        a.message ? el('div', { class: 'al-msg', text: a.message }) : null,
        r.cause || r.consequence || r.correctiveAction
          ? el(
              'dl',
              { class: 'al-rationale', 'data-testid': 'alarm-rationale' },
              r.cause ? [el('dt', { text: 'Cause' }), el('dd', { text: r.cause })] : null,
              r.consequence ? [el('dt', { text: 'Consequence' }), el('dd', { text: r.consequence })] : null,
              r.correctiveAction ? [el('dt', { text: 'Action' }), el('dd', { text: r.correctiveAction })] : null,
              Number.isFinite(r.maxResponseTimeS)
                ? [el('dt', { text: 'Respond within' }), el('dd', { text: ui.formatDuration(r.maxResponseTimeS * 1000) })]
                : null,
            )
          : null,
        a.acknowledgedBy ? el('div', { class: 'muted', text: `acknowledged by ${a.acknowledgedBy}` }) : null,
      ),
      el(
        'td',
        { class: 'al-actions' },
        canAct && needs
          ? el('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'alarm-ack', text: 'Acknowledge', onclick: () => acknowledge([a]) })
          : null,
        canAct
          ? el('button', { type: 'button', class: 'btn', 'data-testid': 'alarm-shelve', text: 'Shelve…', onclick: () => shelve(a) })
          : null,
      ),
    );
  }

  function asideRow(a) {
    return el(
      'tr',
      { 'data-testid': 'alarm-aside-row', dataset: { reactor: a.reactorId, alarm: a.alarmId, state: a.state } },
      el('td', {}, ui.priorityBadge(a.priority)),
      el('td', { text: a.reactorId }),
      el('td', { text: a.alarmId }),
      el('td', { text: ui.alarmStateText(a.state) }),
      el('td', { text: a.shelvedUntil ? `until ${ui.formatDateTime(a.shelvedUntil)}` : '' }),
      el(
        'td',
        {},
        canAct && a.state === 'SHELVED'
          ? el('button', { type: 'button', class: 'btn', 'data-testid': 'alarm-unshelve', text: 'Unshelve', onclick: () => unshelve(a) })
          : null,
      ),
    );
  }

  // ages tick without a reload
  const ageTimer = setInterval(() => {
    for (const td of root.querySelectorAll('.al-age')) td.textContent = ui.formatAge(td.dataset.since);
  }, 1000);
  cleanups.push(() => clearInterval(ageTimer));

  // ------------------------------------------------------------ actions

  const refs = (list) => list.map((a) => ({ reactorId: a.reactorId, alarmId: a.alarmId }));

  async function act(path, body, what) {
    try {
      const r = await api.post(path, body);
      ui.toast(`${what}: ${r.applied.length} alarm${r.applied.length === 1 ? '' : 's'}`, { kind: 'ok' });
      body.alarms.forEach((x) => selected.delete(`${x.reactorId}/${x.alarmId}`));
      await reload();
      return true;
    } catch (e) {
      ui.showError(e, what);
      return false;
    }
  }

  async function acknowledge(list, comment = ACK_COMMENT) {
    if (!list.length) {
      ui.toast('Nothing to acknowledge');
      return;
    }
    await act('/api/alarms/acknowledge', { alarms: refs(list), comment }, 'Acknowledged');
  }

  async function acknowledgeAllVisible() {
    const list = visible().filter((a) => ui.needsAck(a.state));
    if (!list.length) {
      ui.toast('No visible alarm waits for an acknowledgement');
      return;
    }
    const answer = await ui.confirmDialog({
      title: 'Acknowledge all visible alarms',
      message: `${list.length} alarm${list.length === 1 ? '' : 's'}: ${list.map(key).join(', ')}`,
      confirmLabel: 'Acknowledge',
      reason: 'optional',
      reasonLabel: 'Comment',
    });
    if (answer) await acknowledge(list, answer.reason || ACK_COMMENT);
  }

  function shelve(a) {
    const maxMin = Number.isFinite(a.maxShelveS) ? Math.floor(a.maxShelveS / 60) : 8 * 60;
    const minutes = el('input', {
      type: 'number',
      min: 1,
      max: maxMin,
      step: 1,
      value: Math.min(60, maxMin),
      required: true,
      'data-testid': 'shelve-minutes',
    });
    const comment = el('textarea', { rows: 2, maxlength: 500, required: true, 'data-testid': 'shelve-comment' });
    const error = el('p', { class: 'form-error', role: 'alert', hidden: true });
    const form = el(
      'form',
      { method: 'dialog', class: 'dialog-form' },
      el('h2', { text: `Shelve ${a.reactorId} ${a.alarmId}` }),
      el('p', { text: 'A shelved alarm is not announced until it returns by itself at the end of the time, or is unshelved.' }),
      el('label', {}, `Duration in minutes (at most ${maxMin})`, minutes),
      el('label', {}, 'Comment (required)', comment),
      error,
      el(
        'div',
        { class: 'dialog-buttons' },
        el('button', { type: 'button', class: 'btn', 'data-testid': 'shelve-cancel', text: 'Cancel', onclick: () => close() }),
        el('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'shelve-ok', text: 'Shelve' }),
      ),
    );
    const dialog = el('dialog', { class: 'dialog', 'data-testid': 'shelve-dialog' }, form);
    const close = () => {
      dialog.close();
      dialog.remove();
    };
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const m = Number(minutes.value);
      if (!(m > 0) || m > maxMin) {
        error.textContent = `The duration must be 1 to ${maxMin} minutes`;
        error.hidden = false;
        return;
      }
      if (!comment.value.trim()) {
        error.textContent = 'Say why the alarm is shelved';
        error.hidden = false;
        return;
      }
      if (await act('/api/alarms/shelve', { alarms: refs([a]), comment: comment.value.trim(), durationS: m * 60 }, 'Shelved')) {
        close();
      }
    });
    put(document.body, dialog);
    dialog.showModal();
    comment.focus();
  }

  async function unshelve(a) {
    const answer = await ui.confirmDialog({
      title: `Unshelve ${a.reactorId} ${a.alarmId}`,
      confirmLabel: 'Unshelve',
      reason: 'required',
      reasonLabel: 'Comment',
    });
    if (answer) await act('/api/alarms/unshelve', { alarms: refs([a]), comment: answer.reason }, 'Unshelved');
  }

  // ------------------------------------------------------------ history

  function historyView() {
    const f = {
      reactor: el('input', { type: 'text', placeholder: 'r1', 'data-testid': 'hist-reactor', size: 8 }),
      alarm: el('input', { type: 'text', placeholder: 'alarm id', 'data-testid': 'hist-alarm', size: 16 }),
      state: el('select', { 'data-testid': 'hist-state' }, el('option', { value: '', text: 'any state' }), STATES.map((s) => el('option', { value: s.toLowerCase(), text: ui.alarmStateText(s) }))),
      priority: el('select', { 'data-testid': 'hist-priority' }, el('option', { value: '', text: 'any priority' }), Object.keys(ui.PRIORITIES).map((p) => el('option', { value: p.toLowerCase(), text: ui.PRIORITIES[p].label }))),
      since: el('input', { type: 'datetime-local', step: 1, 'data-testid': 'hist-since' }),
      until: el('input', { type: 'datetime-local', step: 1, 'data-testid': 'hist-until' }),
    };
    const entries = [];
    let cursor = null;
    const table = el('table', { class: 'grid al-table', 'data-testid': 'history-table' });
    const more = el('button', { type: 'button', class: 'btn', 'data-testid': 'hist-more', text: 'Older…', hidden: true });
    const status = el('span', { class: 'muted', role: 'status' });
    const iso = (input) => (input.value ? new Date(input.value).toISOString() : null);
    const params = () => {
      const p = new URLSearchParams();
      if (f.reactor.value.trim()) p.set('reactor', f.reactor.value.trim());
      if (f.alarm.value.trim()) p.set('alarm', f.alarm.value.trim());
      if (f.state.value) p.set('state', f.state.value);
      if (f.priority.value) p.set('priority', f.priority.value);
      if (iso(f.since)) p.set('since', iso(f.since));
      if (iso(f.until)) p.set('until', iso(f.until));
      p.set('limit', '200');
      return p;
    };
    async function load(fresh) {
      const p = params();
      if (!fresh && cursor) p.set('cursor', cursor);
      try {
        const page = await api.get(`/api/alarms/history?${p}`);
        if (fresh) entries.length = 0;
        entries.push(...page.entries);
        cursor = page.nextCursor;
        render();
      } catch (e) {
        ui.showError(e, 'Alarm history');
      }
    }
    function render() {
      more.hidden = !cursor;
      status.textContent = `${entries.length} transition${entries.length === 1 ? '' : 's'}${cursor ? ' (older ones: Older…)' : ''}`;
      put(clear(table), 
        el('thead', {}, el('tr', {}, ['Time', 'Priority', 'Reactor', 'Alarm', 'From', 'To', 'Value', 'Limit', 'User', 'Comment', 'Message'].map((h) => el('th', { scope: 'col', text: h })))),
        el(
          'tbody',
          {},
          entries.map((e) =>
            el(
              'tr',
              { 'data-testid': 'history-row' },
              el('td', { text: ui.formatDateTime(e.time) }),
              el('td', {}, ui.priorityBadge(e.priority, { short: true })),
              el('td', { text: e.reactorId }),
              el('td', { text: e.alarmId }),
              el('td', { text: ui.alarmStateText(e.from) }),
              el('td', { text: ui.alarmStateText(e.to) }),
              el('td', { class: 'num', text: ui.formatNumber(e.value, 2) }),
              el('td', { class: 'num', text: ui.formatNumber(e.limit, 2) }),
              el('td', { text: e.user || '' }),
              el('td', { text: e.comment || '' }),
              el('td', { text: e.message || '' }),
            ),
          ),
        ),
      );
    }
    function exportCsv() {
      const header = ['time', 'reactor', 'alarm', 'priority', 'from', 'to', 'value', 'limit', 'user', 'role', 'comment', 'message'];
      const rows = entries.map((e) => [e.time, e.reactorId, e.alarmId, e.priority, e.from, e.to, e.value, e.limit, e.user, e.role, e.comment, e.message]);
      download(`hepaloop-alarm-history-${new Date().toISOString().replace(/[:.]/g, '')}.csv`, toCsv(header, rows));
    }
    more.addEventListener('click', () => load(false));
    const form = el(
      'form',
      { class: 'al-toolbar', 'data-testid': 'hist-filters' },
      el('label', {}, 'Reactor ', f.reactor),
      el('label', {}, 'Alarm ', f.alarm),
      f.state,
      f.priority,
      el('label', {}, 'Since ', f.since),
      el('label', {}, 'Until ', f.until),
      el('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'hist-apply', text: 'Show' }),
      el('button', { type: 'button', class: 'btn', 'data-testid': 'hist-csv', text: 'Export CSV (shown rows)', onclick: exportCsv }),
      status,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      cursor = null;
      load(true);
    });
    load(true);
    return el('section', { class: 'al-history' }, form, table, more);
  }

  // ------------------------------------------------------------ health

  function healthView() {
    const node = el('section', { class: 'al-health', 'data-testid': 'alarm-health' }, el('p', { class: 'muted', text: 'Loading…' }));
    (async () => {
      try {
        const h = await api.get('/api/alarm-health');
        const rows = [h.plant, ...h.reactors];
        put(clear(node), 
          el('p', {
            class: 'muted',
            text: 'ISA-18.2 figures: activations in the last 10 minutes (10 or more is a flood), alarms that chatter (3 or more activations a minute), stale alarms (active for more than 24 h) and shelved ones.',
          }),
          el(
            'table',
            { class: 'grid al-table' },
            el('thead', {}, el('tr', {}, ['Scope', 'Activations / 10 min', 'Flood', 'Chattering', 'Stale', 'Shelved'].map((t) => el('th', { scope: 'col', text: t })))),
            el(
              'tbody',
              {},
              rows.map((f) =>
                el(
                  'tr',
                  { 'data-testid': 'health-row', dataset: { scope: f.scope } },
                  el('td', { text: f.scope }),
                  el('td', { class: 'num', text: String(f.activationsLast10Min) }),
                  el('td', { class: f.flood ? 'al-bad' : '', text: f.flood ? '⚠ FLOOD' : 'no' }),
                  el(
                    'td',
                    { class: f.chattering.length ? 'al-bad' : '' },
                    f.chattering.length
                      ? f.chattering.map((c) => el('div', { title: c.hint || '', text: `${c.reactorId}/${c.alarmId}: ${c.activationsLastMinute}/min` }))
                      : 'none',
                  ),
                  el('td', { class: f.staleCount ? 'al-bad num' : 'num', text: String(f.staleCount) }),
                  el('td', { class: 'num', text: String(f.shelvedCount) }),
                ),
              ),
            ),
          ),
        );
      } catch (e) {
        put(clear(node), el('p', { class: 'form-error', text: e.describe ? e.describe() : String(e) }));
      }
    })();
    return node;
  }

  show('active');
  await reload();
  return () => cleanups.forEach((fn) => fn());
}
