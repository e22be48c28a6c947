// Audit viewer (#/audit, engineer and admin): the chain verification result first (intact, or what
// was done to which record), then the records newest first with filters and paging, and a link to
// the CSV export of the same time range. Reads GET /api/audit, /api/audit/verify, /api/audit/export.csv.

const ACTIONS = [
  'login', 'login_failed', 'logout', 'password_change', 'user', 'setpoint', 'cascade_setpoint', 'mode',
  'tuning', 'manual_output', 'acknowledge', 'shelve', 'unshelve', 'out_of_service', 'return_to_service',
  'alarm_reset', 'interlock_reset', 'autotune', 'run_start', 'run_hold', 'run_restart', 'run_stop',
  'run_abort', 'run_complete', 'phase_transition', 'prompt_answer', 'operator_note', 'recipe',
  'recipe_release', 'profile', 'configuration', 'lab_entry', 'lab_correction', 'signature_refused',
  'token_create', 'token_revoke',
];
const PAGE_SIZE = 100;

/** Appends children as ui.el does: arrays flattened, null/false skipped (DOM append would print them). */
function put(node, ...children) {
  for (const c of children.flat(Infinity)) {
    if (c !== null && c !== undefined && c !== false) node.append(c);
  }
  return node;
}

export async function mount(root, ctx) {
  const { api, ui } = ctx;
  const { el, clear } = ui;

  // ------------------------------------------------------------ verification

  const verifyBox = el('section', { class: 'au-verify', 'data-testid': 'audit-verify', 'aria-live': 'polite' });
  async function verify() {
    put(clear(verifyBox), el('p', { class: 'muted', text: 'Verifying the hash chain and its anchors…' }));
    verifyBox.dataset.intact = '';
    try {
      const v = await api.get('/api/audit/verify');
      verifyBox.dataset.intact = String(v.intact);
      verifyBox.classList.toggle('au-intact', v.intact);
      verifyBox.classList.toggle('au-tampered', !v.intact);
      put(clear(verifyBox), 
        el('h2', {
          'data-testid': 'audit-verify-state',
          text: v.intact ? '✓ Audit trail intact' : `✕ AUDIT TRAIL TAMPERED: ${v.findings.length} finding${v.findings.length === 1 ? '' : 's'}`,
        }),
        el(
          'p',
          {},
          `${v.records} records (last #${v.lastSequence}); ${v.anchors} anchors, last covering #${v.lastAnchoredSequence}`,
          v.unanchored ? `; ${v.unanchored} newer record${v.unanchored === 1 ? '' : 's'} protected by the chain only until the next anchor` : '',
          `. Verified ${ui.formatDateTime(v.verifiedAt)} in ${v.tookMs} ms. `,
          el('button', { type: 'button', class: 'btn', 'data-testid': 'audit-verify-again', text: 'Verify again', onclick: verify }),
        ),
        v.findings.length
          ? el(
              'ul',
              { class: 'au-findings', 'data-testid': 'audit-findings' },
              v.findings.map((f) => el('li', {}, el('strong', { text: f.kind }), ` ${f.message}`)),
            )
          : null,
      );
    } catch (e) {
      verifyBox.dataset.intact = 'unknown';
      put(clear(verifyBox), el('p', { class: 'form-error', role: 'alert', text: `Verification not available: ${e.describe ? e.describe() : e}` }));
    }
  }

  // ------------------------------------------------------------ filters and records

  const f = {
    from: el('input', { type: 'datetime-local', step: 1, 'data-testid': 'audit-from' }),
    to: el('input', { type: 'datetime-local', step: 1, 'data-testid': 'audit-to' }),
    user: el('input', { type: 'text', size: 10, 'data-testid': 'audit-user' }),
    action: el('select', { 'data-testid': 'audit-action' }, el('option', { value: '', text: 'any action' }), ACTIONS.map((a) => el('option', { value: a, text: a }))),
    runId: el('input', { type: 'text', size: 18, 'data-testid': 'audit-run' }),
    target: el('input', { type: 'text', size: 14, placeholder: 'r1 or r1/temperature', 'data-testid': 'audit-target' }),
  };
  const csv = el('a', { class: 'btn', 'data-testid': 'audit-csv', href: '/api/audit/export.csv', download: '', text: 'Export CSV' });
  const table = el('table', { class: 'grid au-table', 'data-testid': 'audit-table' });
  const newer = el('button', { type: 'button', class: 'btn', 'data-testid': 'audit-newer', text: '◀ Newer' });
  const older = el('button', { type: 'button', class: 'btn', 'data-testid': 'audit-older', text: 'Older ▶' });
  const pageInfo = el('span', { class: 'muted', role: 'status', 'data-testid': 'audit-page' });
  const iso = (input) => (input.value ? new Date(input.value).toISOString() : null);
  // beforeSeq of each page shown so far: [null (newest), ...]; the last is the page on screen
  const pages = [null];
  let next = null;

  function query(beforeSeq) {
    const p = new URLSearchParams();
    if (iso(f.from)) p.set('from', iso(f.from));
    if (iso(f.to)) p.set('to', iso(f.to));
    for (const k of ['user', 'runId', 'target']) if (f[k].value.trim()) p.set(k, f[k].value.trim());
    if (f.action.value) p.set('action', f.action.value);
    p.set('limit', String(PAGE_SIZE));
    if (beforeSeq) p.set('beforeSeq', String(beforeSeq));
    return p;
  }

  function updateCsvLink() {
    const p = new URLSearchParams();
    if (iso(f.from)) p.set('from', iso(f.from));
    if (iso(f.to)) p.set('to', iso(f.to));
    csv.href = `/api/audit/export.csv${p.toString() ? `?${p}` : ''}`;
    csv.title = p.toString() ? 'Every record of the time range (other filters do not apply)' : 'The whole trail';
  }

  async function load() {
    const beforeSeq = pages[pages.length - 1];
    try {
      const page = await api.get(`/api/audit?${query(beforeSeq)}`);
      next = page.nextBeforeSeq;
      render(page.records);
    } catch (e) {
      ui.showError(e, 'Audit');
      put(clear(table), el('tbody', {}, el('tr', {}, el('td', { class: 'form-error', text: e.describe ? e.describe() : String(e) }))));
    }
  }

  function render(records) {
    newer.disabled = pages.length <= 1;
    older.disabled = !next;
    pageInfo.textContent = records.length
      ? `records #${records[0].sequence}…#${records[records.length - 1].sequence} (page ${pages.length})`
      : 'no records match';
    put(clear(table), 
      el('thead', {}, el('tr', {}, ['#', 'Recorded (local)', 'User', 'Role', 'Action', 'Target', 'Old → new', 'Reason', 'Run', 'Signature'].map((h) => el('th', { scope: 'col', text: h })))),
      el(
        'tbody',
        {},
        records.map((r) =>
          el(
            'tr',
            {
              'data-testid': 'audit-row',
              class: r.action === 'signature_refused' || (r.newValue || '').startsWith('refused: ') ? 'au-refused' : null,
              dataset: { seq: String(r.sequence), action: r.action },
              title: `hash ${r.hash}\nprevious ${r.previousHash}`,
            },
            el('td', { class: 'num', text: String(r.sequence) }),
            el('td', { title: r.recordedAt, text: ui.formatDateTime(r.recordedAt) }),
            el('td', { text: r.user }),
            el('td', { text: r.role || '' }),
            el('td', { class: 'au-action', text: r.action }),
            el('td', { text: r.target || '' }),
            el('td', { class: 'au-values' }, r.oldValue || r.newValue ? `${r.oldValue ?? '—'} → ${r.newValue ?? '—'}` : ''),
            el('td', { text: r.reason || '' }),
            el('td', { text: r.runId || '' }),
            el('td', { text: r.signedBy ? `${r.signedBy} (${r.signatureMeaning}) ${ui.formatDateTime(r.signedAt)}` : '' }),
          ),
        ),
      ),
    );
  }

  newer.addEventListener('click', () => {
    if (pages.length > 1) {
      pages.pop();
      load();
    }
  });
  older.addEventListener('click', () => {
    if (next) {
      pages.push(next);
      load();
    }
  });
  const form = el(
    'form',
    { class: 'au-filters', 'data-testid': 'audit-filters' },
    el('label', {}, 'From ', f.from),
    el('label', {}, 'To ', f.to),
    el('label', {}, 'User ', f.user),
    el('label', {}, 'Action ', f.action),
    el('label', {}, 'Run ', f.runId),
    el('label', {}, 'Target ', f.target),
    el('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'audit-apply', text: 'Show' }),
    csv,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    pages.length = 1;
    updateCsvLink();
    load();
  });
  f.from.addEventListener('change', updateCsvLink);
  f.to.addEventListener('change', updateCsvLink);

  put(root, 
    el('h1', { text: 'Audit trail' }),
    verifyBox,
    form,
    el('div', { class: 'au-paging' }, newer, pageInfo, older),
    table,
  );
  await Promise.all([verify(), load()]);
}
