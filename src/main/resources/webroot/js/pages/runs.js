// Runs (#/runs, #/runs/<runId>): the list and a form to create a run from a recipe with its
// construct (cell source, cells seeded, scaffold, medium); a run's page with its state and phase,
// start / hold / restart / stop / abort (abort e-signed: password and meaning), open prompts to
// confirm, the phase timeline and events, notes, lab sample entry and the report links. Built to the
// run, recipe, lab and report APIs (CONTRACTS.md); a part of them missing from this build (404) is
// said so on the page, not an error.

const CELL_SOURCES = [
  ['primary_hepatocytes', 'Primary hepatocytes'],
  ['heparg', 'HepaRG'],
  ['ipsc_hlc', 'iPSC hepatocyte-like cells'],
  ['msc_coculture', 'MSC co-culture'],
  ['other', 'Other'],
];
const STATES = ['IDLE', 'RUNNING', 'HELD', 'COMPLETE', 'STOPPED', 'ABORTED'];
/** Commands, with the states each is offered in (the API decides; a refusal is shown as given). */
const COMMANDS = [
  { id: 'start', label: 'Start', when: ['IDLE'] },
  { id: 'hold', label: 'Hold', when: ['RUNNING'] },
  { id: 'restart', label: 'Restart', when: ['HELD'] },
  { id: 'stop', label: 'Stop', when: ['RUNNING', 'HELD'] },
  { id: 'abort', label: 'Abort…', when: ['IDLE', 'RUNNING', 'HELD'], danger: true },
];

/** Appends children as ui.el does: arrays flattened, null/false skipped (DOM append would print them). */
function put(node, ...children) {
  for (const c of children.flat(Infinity)) {
    if (c !== null && c !== undefined && c !== false) node.append(c);
  }
  return node;
}

export async function mount(root, ctx) {
  return ctx.params.runId ? runPage(root, ctx, ctx.params.runId) : listPage(root, ctx);
}

const isMissing = (e) => e && (e.status === 404 || e.status === 405);
const seg = (s) => encodeURIComponent(String(s));

// ------------------------------------------------------------------ list

async function listPage(root, ctx) {
  const { api, ui, stream } = ctx;
  const { el, clear } = ui;
  const canCreate = ui.roleIncludes(ctx.session ? ctx.session.role : 'viewer', 'operator');
  const reactorSel = el('select', { 'data-testid': 'runs-filter-reactor' }, el('option', { value: '', text: 'All reactors' }));
  const stateSel = el(
    'select',
    { 'data-testid': 'runs-filter-state' },
    el('option', { value: '', text: 'Any state' }),
    STATES.map((s) => el('option', { value: s, text: s.toLowerCase() })),
  );
  const table = el('table', { class: 'grid rn-table', 'data-testid': 'runs-table' });
  const note = el('p', { class: 'muted', 'data-testid': 'runs-note', hidden: true });
  const formBox = el('section', { class: 'panel rn-create', 'data-testid': 'run-create', hidden: true });
  const newBtn = el('button', {
    type: 'button',
    class: 'btn btn-primary',
    'data-testid': 'run-new',
    text: 'New run…',
    hidden: !canCreate,
    onclick: () => {
      formBox.hidden = !formBox.hidden;
      if (!formBox.hidden) formBox.querySelector('select, input').focus();
    },
  });
  put(root, 
    el('h1', { text: 'Runs' }),
    el('div', { class: 'rn-toolbar' }, reactorSel, stateSel, newBtn),
    formBox,
    note,
    table,
  );

  let reactors = [];
  try {
    reactors = await api.get('/api/reactors');
  } catch (e) {
    ui.showError(e, 'Reactors');
  }
  reactors.forEach((r) => put(reactorSel, el('option', { value: r.reactorId, text: r.displayName ? `${r.reactorId} — ${r.displayName}` : r.reactorId })));

  async function load() {
    const p = new URLSearchParams();
    if (reactorSel.value) p.set('reactorId', reactorSel.value);
    if (stateSel.value) p.set('state', stateSel.value);
    try {
      const { runs } = await api.get(`/api/runs${p.toString() ? `?${p}` : ''}`);
      note.hidden = true;
      render(runs);
    } catch (e) {
      if (isMissing(e)) {
        note.hidden = false;
        note.textContent = 'The run service is not part of this build (GET /api/runs answered 404).';
        clear(table);
        return;
      }
      ui.showError(e, 'Runs');
    }
  }

  function render(runs) {
    put(clear(table), 
      el('thead', {}, el('tr', {}, ['Run', 'Reactor', 'Recipe', 'State', 'Phase', 'Created', 'Started', 'Ended', 'Operator'].map((h) => el('th', { scope: 'col', text: h })))),
      el(
        'tbody',
        {},
        runs.length
          ? runs.map((r) =>
              el(
                'tr',
                { 'data-testid': 'run-row', dataset: { run: r.runId, state: r.state } },
                el('td', {}, el('a', { href: `#/runs/${seg(r.runId)}`, 'data-testid': 'run-link', text: r.runId })),
                el('td', { text: r.reactorId }),
                el('td', { text: r.recipe ? `${r.recipe.name} ${r.recipe.version || ''}` : '' }),
                el('td', {}, stateBadge(ui, r.state)),
                el('td', { text: r.phaseId ? `${r.phaseIndex + 1}. ${r.phaseId}` : '' }),
                el('td', { text: ui.formatDateTime(r.createdAt) }),
                el('td', { text: ui.formatDateTime(r.startedAt) }),
                el('td', { text: ui.formatDateTime(r.endedAt) }),
                el('td', { text: r.operator || '' }),
              ),
            )
          : el('tr', {}, el('td', { colspan: 9, class: 'muted', text: 'No runs.' })),
      ),
    );
  }

  if (canCreate) put(formBox, await createForm(ctx, reactors));
  reactorSel.addEventListener('change', load);
  stateSel.addEventListener('change', load);
  let timer = null;
  const off = stream.on('run', () => {
    if (!timer) timer = setTimeout(() => ((timer = null), load()), 500);
  });
  await load();
  return () => {
    off();
    if (timer) clearTimeout(timer);
  };
}

function stateBadge(ui, state) {
  const abnormal = state === 'ABORTED' || state === 'HELD';
  return ui.el('span', {
    class: ['rn-state', `rn-state-${String(state || '').toLowerCase()}`, abnormal ? 'rn-abnormal' : null],
    'data-testid': 'run-state',
    text: state || '—',
  });
}

async function createForm(ctx, reactors) {
  const { api, ui } = ctx;
  const { el } = ui;
  let recipes = null;
  try {
    recipes = (await api.get('/api/recipes')).recipes;
  } catch (e) {
    if (!isMissing(e)) ui.showError(e, 'Recipes');
  }
  const recipe = recipes
    ? el(
        'select',
        { name: 'recipe', required: true, 'data-testid': 'run-recipe' },
        recipes.map((r) =>
          el('option', { value: r.name, text: `${r.name} ${r.version}${r.released ? ' (released)' : ' (not released)'}` }),
        ),
      )
    : el('input', { name: 'recipe', required: true, 'data-testid': 'run-recipe', placeholder: 'file name in recipes/ without .yaml' });
  const reactor = el(
    'select',
    { name: 'reactorId', required: true, 'data-testid': 'run-reactor' },
    reactors.map((r) => el('option', { value: r.reactorId, text: r.reactorId })),
  );
  const cellSource = el(
    'select',
    { name: 'cellSource', required: true, 'data-testid': 'run-cell-source' },
    CELL_SOURCES.map(([v, t]) => el('option', { value: v, text: t })),
  );
  const input = (name, attrs = {}) => el('input', { name, 'data-testid': `run-${name}`, ...attrs });
  const cellSourceDetail = input('cellSourceDetail', { type: 'text', maxlength: 200, placeholder: 'donor, lot, passage' });
  const cellsSeeded = input('cellsSeeded', { type: 'number', min: 1, step: 'any', required: true, placeholder: '5e6' });
  const scaffold = input('scaffold', { type: 'text', maxlength: 200, required: true });
  const medium = input('medium', { type: 'text', maxlength: 200, required: true });
  const reason = input('reason', { type: 'text', maxlength: 500 });
  const error = el('p', { class: 'form-error', role: 'alert', hidden: true });
  const form = el(
    'form',
    { class: 'rn-form', 'data-testid': 'run-create-form' },
    el('h2', { text: 'New run' }),
    recipes && recipes.length === 0 ? el('p', { class: 'muted', text: 'No recipes in recipes/.' }) : null,
    !recipes ? el('p', { class: 'muted', text: 'The recipe list is not part of this build: type the recipe file name.' }) : null,
    el('label', {}, 'Reactor', reactor),
    el('label', {}, 'Recipe', recipe),
    el('label', {}, 'Cell source', cellSource),
    el('label', {}, 'Cell source detail', cellSourceDetail),
    el('label', {}, 'Cells seeded', cellsSeeded),
    el('label', {}, 'Scaffold', scaffold),
    el('label', {}, 'Medium', medium),
    el('label', {}, 'Reason', reason),
    error,
    el('div', { class: 'dialog-buttons' }, el('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'run-create-ok', text: 'Create run' })),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    const body = {
      reactorId: reactor.value,
      recipe: recipe.value.trim(),
      cellSource: cellSource.value,
      cellsSeeded: Number(cellsSeeded.value),
      scaffold: scaffold.value.trim(),
      medium: medium.value.trim(),
    };
    if (cellSourceDetail.value.trim()) body.cellSourceDetail = cellSourceDetail.value.trim();
    if (reason.value.trim()) body.reason = reason.value.trim();
    try {
      const run = await api.post('/api/runs', body);
      ui.toast(`Run ${run.runId} created`, { kind: 'ok' });
      ctx.navigate(`#/runs/${seg(run.runId)}`);
    } catch (err) {
      error.textContent = err.describe ? err.describe() : String(err);
      error.hidden = false;
    }
  });
  return form;
}

// ------------------------------------------------------------------ one run

async function runPage(root, ctx, runId) {
  const { api, ui, stream } = ctx;
  const { el, clear } = ui;
  const role = ctx.session ? ctx.session.role : 'viewer';
  const canAct = ui.roleIncludes(role, 'operator');
  const path = `/api/runs/${seg(runId)}`;
  const head = el('section', { class: 'panel rn-head', 'data-testid': 'run-head' });
  const commands = el('div', { class: 'rn-commands', 'data-testid': 'run-commands' });
  const prompts = el('section', { class: 'rn-prompts', 'data-testid': 'run-prompts' });
  const timeline = el('section', { class: 'rn-timeline', 'data-testid': 'run-timeline' });
  const events = el('section', { class: 'rn-events' });
  const notes = el('section', { class: 'rn-notes', 'data-testid': 'run-notes' });
  const samples = el('section', { class: 'rn-samples', 'data-testid': 'run-samples' });
  const reports = el(
    'section',
    { class: 'rn-reports', 'data-testid': 'run-reports' },
    el('h2', { text: 'Report' }),
    ['html', 'md', 'csv'].map((f) =>
      el('a', { class: 'btn', href: `${path}/report?format=${f}`, target: '_blank', rel: 'noopener', 'data-testid': `run-report-${f}`, text: { html: 'Report (HTML)', md: 'Report (Markdown)', csv: 'Data (CSV)' }[f] }),
    ),
  );
  put(root, 
    el('p', {}, el('a', { href: '#/runs', text: '◀ All runs' })),
    el('h1', { text: `Run ${runId}` }),
    head,
    commands,
    prompts,
    timeline,
    el('div', { class: 'rn-columns' }, el('div', {}, notes, reports), samples),
    events,
  );

  let run = null;
  async function loadRun() {
    try {
      run = await api.get(path);
      renderHead();
      renderCommands();
      renderPrompts();
      renderTimeline();
    } catch (e) {
      put(clear(head), el('p', { class: 'form-error', role: 'alert', 'data-testid': 'run-error', text: isMissing(e) ? `No run ${runId} (or no run service in this build): ${e.describe ? e.describe() : e}` : e.describe ? e.describe() : String(e) }));
    }
  }

  function renderHead() {
    const r = run;
    const field = (label, value) => [el('dt', { text: label }), el('dd', { text: value ?? '—' })];
    put(clear(head), 
      el('div', { class: 'rn-head-state' }, stateBadge(ui, r.state), r.phaseId ? el('span', { 'data-testid': 'run-phase', text: ` phase ${r.phaseIndex + 1}: ${r.phaseId}` }) : null, Number.isFinite(r.phaseElapsedS) ? el('span', { class: 'muted', text: ` for ${ui.formatDuration(r.phaseElapsedS * 1000)}` }) : null),
      el(
        'dl',
        { class: 'rn-facts' },
        field('Reactor', r.reactorId),
        field('Recipe', r.recipe ? `${r.recipe.name} ${r.recipe.version}` : null),
        field('Recipe SHA-256', r.recipe && r.recipe.sha256 ? `${r.recipe.sha256.slice(0, 16)}…` : null),
        field('Cell source', [r.cellSource, r.cellSourceDetail].filter(Boolean).join(' — ')),
        field('Cells seeded', Number.isFinite(r.cellsSeeded) ? r.cellsSeeded.toExponential(2) : null),
        field('Scaffold', r.scaffold),
        field('Medium', r.medium),
        field('Operator', r.operator),
        field('Created', ui.formatDateTime(r.createdAt)),
        field('Started', ui.formatDateTime(r.startedAt)),
        field('Ended', ui.formatDateTime(r.endedAt)),
      ),
    );
  }

  function renderCommands() {
    clear(commands);
    if (!canAct) return;
    for (const c of COMMANDS) {
      if (!c.when.includes(run.state)) continue;
      put(commands, 
        el('button', {
          type: 'button',
          class: c.danger ? 'btn btn-danger' : c.id === 'start' ? 'btn btn-primary' : 'btn',
          'data-testid': `run-${c.id}`,
          text: c.label,
          onclick: () => command(c),
        }),
      );
    }
  }

  async function command(c) {
    const abort = c.id === 'abort';
    const answer = await ui.confirmDialog({
      title: `${c.label.replace('…', '')} run ${runId}`,
      message: abort
        ? 'Aborting ends the run at once; it cannot be restarted. It needs your electronic signature.'
        : `The run is ${run.state.toLowerCase()}${run.phaseId ? ` in phase ${run.phaseId}` : ''}.`,
      confirmLabel: c.label.replace('…', ''),
      reason: abort ? 'required' : 'optional',
      signature: abort ? 'required' : false,
      meaning: abort ? 'performed' : '',
      danger: abort,
    });
    if (!answer) return;
    const body = {};
    if (answer.reason) body.reason = answer.reason;
    if (answer.signature) body.signature = answer.signature;
    try {
      const r = await api.post(`${path}/${c.id}`, body);
      ui.toast(r.message || `${c.label}: ${r.accepted ? 'accepted' : 'not accepted'}`, { kind: r.accepted ? 'ok' : 'error' });
    } catch (e) {
      ui.showError(e, c.label.replace('…', ''));
    }
    await Promise.all([loadRun(), loadEvents()]);
  }

  function renderPrompts() {
    clear(prompts);
    const open = run.openPrompts || [];
    if (!open.length) return;
    put(prompts, 
      el('h2', { text: 'Waiting for you' }),
      open.map((p) =>
        el(
          'div',
          { class: 'rn-prompt notice', 'data-testid': 'run-prompt', dataset: { prompt: p.id } },
          el('span', { text: `? ${p.question}` }),
          canAct
            ? el('button', {
                type: 'button',
                class: 'btn btn-primary',
                'data-testid': 'run-prompt-confirm',
                text: 'Confirm…',
                onclick: async () => {
                  const a = await ui.confirmDialog({ title: 'Confirm', message: p.question, confirmLabel: 'Confirm', reason: 'optional', reasonLabel: 'Comment' });
                  if (!a) return;
                  try {
                    await api.post(`${path}/confirm`, { promptId: p.id, ...(a.reason ? { reason: a.reason } : {}) });
                    ui.toast('Confirmed', { kind: 'ok' });
                  } catch (e) {
                    ui.showError(e, 'Confirm');
                  }
                  await loadRun();
                },
              })
            : null,
        ),
      ),
    );
  }

  function renderTimeline() {
    const phases = run.phases || [];
    put(clear(timeline), el('h2', { text: 'Phases' }));
    if (!phases.length) {
      put(timeline, el('p', { class: 'muted', text: 'No phase has started yet.' }));
      return;
    }
    const t0 = Date.parse(phases[0].startedAt);
    const tEnd = Math.max(...phases.map((p) => Date.parse(p.endedAt || '') || Date.now()));
    const span = Math.max(1, tEnd - t0);
    const bar = el('div', { class: 'rn-bar', role: 'img', 'aria-label': `phases: ${phases.map((p) => p.id).join(', ')}` });
    for (const p of phases) {
      const a = Date.parse(p.startedAt);
      const b = Date.parse(p.endedAt || '') || Date.now();
      const seg = el('span', {
        class: ['rn-seg', p.endedAt ? null : 'rn-seg-current'],
        title: `${p.id}: ${ui.formatDateTime(p.startedAt)} – ${p.endedAt ? ui.formatDateTime(p.endedAt) : 'now'}`,
        text: p.id,
      });
      seg.style.left = `${((a - t0) / span) * 100}%`;
      seg.style.width = `${Math.max(0.5, ((b - a) / span) * 100)}%`;
      put(bar, seg);
    }
    put(timeline, 
      bar,
      el(
        'ol',
        { class: 'rn-phases' },
        phases.map((p) =>
          el('li', { 'data-testid': 'run-phase-item', dataset: { phase: p.id } }, el('strong', { text: p.name || p.id }), ` ${ui.formatDateTime(p.startedAt)} – ${p.endedAt ? ui.formatDateTime(p.endedAt) : 'now'}`, p.endedAt ? ` (${ui.formatDuration(Date.parse(p.endedAt) - Date.parse(p.startedAt))})` : ''),
        ),
      ),
    );
  }

  async function loadEvents() {
    try {
      const { events: list } = await api.get(`${path}/events`);
      put(clear(events), 
        el('h2', { text: 'Events' }),
        el(
          'table',
          { class: 'grid', 'data-testid': 'run-events' },
          el('thead', {}, el('tr', {}, ['Time', 'Kind', 'Phase', 'State', 'By', 'Message'].map((h) => el('th', { scope: 'col', text: h })))),
          el(
            'tbody',
            {},
            [...list].reverse().map((e) =>
              el(
                'tr',
                { 'data-testid': 'run-event' },
                el('td', { text: ui.formatDateTime(e.at) }),
                el('td', { text: e.kind }),
                el('td', { text: e.phaseId || '' }),
                el('td', { text: e.state || '' }),
                el('td', { text: e.subject || '' }),
                el('td', { text: e.message || '' }),
              ),
            ),
          ),
        ),
      );
    } catch (e) {
      if (!isMissing(e)) ui.showError(e, 'Run events');
    }
  }

  async function loadNotes() {
    try {
      const { notes: list } = await api.get(`${path}/notes`);
      renderNotes(list);
    } catch (e) {
      if (isMissing(e)) renderNotes(null);
      else ui.showError(e, 'Notes');
    }
  }

  function renderNotes(list) {
    const text = el('textarea', { rows: 2, maxlength: 4000, 'data-testid': 'run-note-text', 'aria-label': 'Note' });
    const form = el('form', { class: 'rn-note-form' }, text, el('button', { type: 'submit', class: 'btn', 'data-testid': 'run-note-add', text: 'Add note' }));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (!text.value.trim()) return;
      try {
        await api.post(`${path}/notes`, { text: text.value.trim() });
        text.value = '';
        await loadNotes();
      } catch (err) {
        ui.showError(err, 'Note');
      }
    });
    put(clear(notes), 
      el('h2', { text: 'Notes' }),
      list === null
        ? el('p', { class: 'muted', text: 'Notes are not part of this build.' })
        : el(
            'ul',
            { class: 'rn-note-list' },
            list.map((n) => el('li', { 'data-testid': 'run-note' }, el('span', { class: 'muted', text: `${ui.formatDateTime(n.notedAt)} ${n.user}: ` }), n.text)),
          ),
      list !== null && canAct ? form : null,
    );
  }

  async function loadSamples() {
    let analytes = null;
    let list = null;
    try {
      analytes = (await api.get('/api/lab/analytes')).analytes;
      list = (await api.get(`${path}/samples`)).samples;
    } catch (e) {
      if (!isMissing(e)) ui.showError(e, 'Lab samples');
    }
    put(clear(samples), el('h2', { text: 'Lab samples' }));
    if (!analytes || !list) {
      put(samples, el('p', { class: 'muted', text: 'Lab sample entry is not part of this build.' }));
      return;
    }
    put(samples, 
      el(
        'table',
        { class: 'grid', 'data-testid': 'sample-table' },
        el('thead', {}, el('tr', {}, ['Sampled', 'Analyte', 'Value', 'Method', 'Entered by', 'Rev.'].map((h) => el('th', { scope: 'col', text: h })))),
        el(
          'tbody',
          {},
          list.map((s) =>
            el(
              'tr',
              { 'data-testid': 'sample-row' },
              el('td', { text: ui.formatDateTime(s.sampledAt) }),
              el('td', { text: s.analyte }),
              el('td', { class: 'num', text: s.belowDetectionLimit ? `< ${s.detectionLimit} ${s.unit}` : `${s.value} ${s.unit}` }),
              el('td', { text: s.method || '' }),
              el('td', { text: s.enteredBy || '' }),
              el('td', { class: 'num', text: String(s.revision ?? 1) }),
            ),
          ),
        ),
      ),
    );
    if (canAct) put(samples, sampleForm(analytes));
  }

  function sampleForm(analytes) {
    const localNow = () => {
      const d = new Date(Date.now() - new Date().getTimezoneOffset() * 60000);
      return d.toISOString().slice(0, 19);
    };
    const analyte = el('select', { required: true, 'data-testid': 'sample-analyte' }, analytes.map((a) => el('option', { value: a.id, dataset: { unit: a.unit }, text: `${a.name} (${a.unit})` })));
    const value = el('input', { type: 'number', step: 'any', required: true, 'data-testid': 'sample-value' });
    const unit = el('input', { type: 'text', required: true, size: 10, 'data-testid': 'sample-unit', value: analytes[0] ? analytes[0].unit : '' });
    const sampledAt = el('input', { type: 'datetime-local', step: 1, required: true, value: localNow(), 'data-testid': 'sample-sampled-at' });
    const measuredAt = el('input', { type: 'datetime-local', step: 1, required: true, value: localNow(), 'data-testid': 'sample-measured-at' });
    const method = el('input', { type: 'text', maxlength: 200, 'data-testid': 'sample-method' });
    const below = el('input', { type: 'checkbox', 'data-testid': 'sample-below' });
    const limit = el('input', { type: 'number', step: 'any', 'data-testid': 'sample-limit' });
    analyte.addEventListener('change', () => {
      unit.value = analyte.selectedOptions[0].dataset.unit || unit.value;
    });
    const error = el('p', { class: 'form-error', role: 'alert', hidden: true });
    const form = el(
      'form',
      { class: 'rn-form', 'data-testid': 'sample-form' },
      el('h3', { text: 'Enter a result' }),
      el('label', {}, 'Analyte', analyte),
      el('label', {}, 'Value', value),
      el('label', {}, 'Unit', unit),
      el('label', {}, 'Sampled at', sampledAt),
      el('label', {}, 'Measured at', measuredAt),
      el('label', {}, 'Method', method),
      el('label', { class: 'rn-inline' }, below, ' below the detection limit'),
      el('label', {}, 'Detection limit', limit),
      error,
      el('div', { class: 'dialog-buttons' }, el('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'sample-add', text: 'Add result' })),
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      error.hidden = true;
      const body = {
        analyte: analyte.value,
        value: Number(value.value),
        unit: unit.value.trim(),
        sampledAt: new Date(sampledAt.value).toISOString(),
        measuredAt: new Date(measuredAt.value).toISOString(),
      };
      if (method.value.trim()) body.method = method.value.trim();
      if (below.checked) body.belowDetectionLimit = true;
      if (limit.value !== '') body.detectionLimit = Number(limit.value);
      try {
        await api.post(`${path}/samples`, body);
        ui.toast('Result entered', { kind: 'ok' });
        await loadSamples();
      } catch (err) {
        error.textContent = err.describe ? err.describe() : String(err);
        error.hidden = false;
      }
    });
    return form;
  }

  let timer = null;
  const off = stream.on('run', (r) => {
    if (r.runId !== runId || timer) return;
    timer = setTimeout(() => {
      timer = null;
      loadRun();
      loadEvents();
    }, 300);
  });
  const tick = setInterval(() => run && renderTimeline(), 60000);
  await loadRun();
  await Promise.all([loadEvents(), loadNotes(), loadSamples()]);
  return () => {
    off();
    clearInterval(tick);
    if (timer) clearTimeout(timer);
  };
}
