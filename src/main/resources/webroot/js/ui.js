// Shared rendering helpers of the console (ctx.ui). DOM is built with el() and textContent only:
// no innerHTML with data, so a reactor or user name can never become markup. The page's
// Content-Security-Policy forbids inline style attributes: set styles through node.style (CSSOM)
// or classes, never a "style" attribute in markup.

export const ROLES = ['viewer', 'operator', 'engineer', 'admin'];

/** True when `role` is `minimum` or higher (viewer < operator < engineer < admin). */
export function roleIncludes(role, minimum) {
  return ROLES.indexOf(role) >= ROLES.indexOf(minimum) && ROLES.indexOf(minimum) >= 0;
}

/**
 * Creates an element. attrs: `class`, `text`, `style` (object, applied via CSSOM), `dataset`
 * (object), `on<event>` functions, booleans (true sets the attribute, false/null omits it), anything
 * else as an attribute. Children: nodes, strings (text) or null/false (skipped); arrays flatten.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') node.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
    else if (k === 'text') node.textContent = v;
    else if (k === 'style') Object.assign(node.style, v);
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (v === true) node.setAttribute(k, '');
    else node.setAttribute(k, String(v));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(node, c);
    else node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Removes every child of `node`; returns it. */
export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

// ---------------------------------------------------------------- formatting

/** Decimal places per unit: what the instrument resolves, not what the double holds. */
const DIGITS = {
  '°C': 1,
  mmHg: 0,
  'mL/min': 2,
  '%': 0,
  'nmol/min': 1,
  'nmol/min/1e6 cells': 2,
  'nmol/(min·10⁶ cells)': 2,
};

/** A number with `digits` decimals (default 2), or "—" when it is missing / not finite. */
export function formatNumber(value, digits = 2) {
  if (value === null || value === undefined || !Number.isFinite(Number(value))) return '—';
  return Number(value).toFixed(digits);
}

/** "37.0 °C"; "—" for a missing value. digits default per unit (DIGITS), else 2. */
export function formatValue(value, unit, { digits } = {}) {
  const d = digits ?? DIGITS[unit] ?? 2;
  const n = formatNumber(value, d);
  if (n === '—' || !unit) return n;
  return `${n} ${unit}`;
}

function toDate(t) {
  if (t === null || t === undefined || t === '') return null;
  const d = t instanceof Date ? t : new Date(t);
  return Number.isNaN(d.getTime()) ? null : d;
}

const pad = (n) => String(n).padStart(2, '0');

/** Local "HH:MM:SS" of an ISO time or epoch ms; "—" when missing. */
export function formatTime(t) {
  const d = toDate(t);
  return d ? `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}` : '—';
}

/** Local "YYYY-MM-DD HH:MM:SS"; "—" when missing. */
export function formatDateTime(t) {
  const d = toDate(t);
  if (!d) return '—';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${formatTime(d)}`;
}

/** A duration for people: "8 s", "4 min 10 s", "3 h 5 min", "2 d 4 h". */
export function formatDuration(ms) {
  if (!Number.isFinite(ms)) return '—';
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** How long ago `t` (ISO or epoch ms) was, as formatDuration; "—" when missing. */
export function formatAge(t, now = Date.now()) {
  const d = toDate(t);
  return d ? formatDuration(now - d.getTime()) : '—';
}

// ---------------------------------------------------------------- quality

/**
 * The quality of a sample as the console shows it: 'bad' (BAD quality or no value: never shown as
 * a good number), 'stale' (the server flagged it, or `maxAgeMs` passed since `receivedAtMs`),
 * 'uncertain', 'good', or 'missing' (nothing received).
 *
 * @param sample {value, quality, stale} as the API sends it, or null
 * @param opts {receivedAtMs, maxAgeMs, now}: client-side staleness, when given
 */
export function qualityOf(sample, { receivedAtMs, maxAgeMs, now = Date.now() } = {}) {
  if (!sample) return 'missing';
  const q = String(sample.quality || '').toUpperCase();
  if (q === 'BAD' || sample.value === null || sample.value === undefined) return 'bad';
  if (sample.stale) return 'stale';
  if (maxAgeMs && receivedAtMs && now - receivedAtMs > maxAgeMs) return 'stale';
  if (q === 'UNCERTAIN') return 'uncertain';
  return 'good';
}

const QUALITY_MARK = { bad: 'BAD', stale: 'STALE', uncertain: 'UNC', missing: '' };
const QUALITY_TITLE = {
  bad: 'Bad quality: the value cannot be trusted',
  stale: 'Stale: no fresh value from the device',
  uncertain: 'Uncertain quality',
  missing: 'No value received yet',
  good: '',
};

/**
 * Writes a value into `node` the way every page shows one: the number with unit, classes `val
 * val-<quality>` (base.css greys stale, hatches bad), `data-quality`, a title saying why, and a
 * text mark (BAD / STALE / UNC) so no state depends on colour. A BAD value shows "BAD" in place of
 * the number (the last number only in the title): it never looks like a good one.
 */
export function renderValue(node, sample, { unit, digits, quality } = {}) {
  const q = quality || qualityOf(sample);
  const u = unit ?? (sample && sample.unit) ?? '';
  const text = sample ? formatValue(sample.value, u, { digits }) : '—';
  node.classList.add('val');
  for (const k of ['good', 'bad', 'stale', 'uncertain', 'missing']) {
    node.classList.toggle(`val-${k}`, k === q);
  }
  node.dataset.quality = q;
  clear(node);
  if (q === 'bad') {
    node.append(el('span', { class: 'q-mark', text: '✕ BAD' }));
    node.title = `${QUALITY_TITLE.bad}${sample && sample.value !== null ? ` (last: ${text})` : ''}`;
    return;
  }
  node.append(el('span', { class: 'val-num', text }));
  if (QUALITY_MARK[q]) node.append(el('span', { class: 'q-mark', text: QUALITY_MARK[q] }));
  node.title = QUALITY_TITLE[q] || '';
}

// ---------------------------------------------------------------- alarms

/** ISA-18.2 priorities, most urgent first, each with a shape and a number besides its colour. */
export const PRIORITIES = {
  CRITICAL: { rank: 1, shape: '◆', label: 'Critical' },
  HIGH: { rank: 2, shape: '▲', label: 'High' },
  MEDIUM: { rank: 3, shape: '■', label: 'Medium' },
  LOW: { rank: 4, shape: '●', label: 'Low' },
};

/** Rank of a priority (1 most urgent); 9 for none/unknown. */
export function priorityRank(priority) {
  return PRIORITIES[priority] ? PRIORITIES[priority].rank : 9;
}

/**
 * A priority badge: colour (base.css .prio-<priority>), shape and number, so it reads without
 * colour; `short` gives shape and number only (tiles).
 */
export function priorityBadge(priority, { short = false } = {}) {
  const p = PRIORITIES[priority];
  if (!p) return el('span', { class: 'prio prio-none', text: '' });
  return el('span', {
    class: `prio prio-${priority.toLowerCase()}`,
    title: `Priority ${p.rank}: ${p.label}`,
    'aria-label': `priority ${p.label}`,
    text: short ? `${p.shape}${p.rank}` : `${p.shape} ${p.rank} ${p.label}`,
  });
}

const ALARM_STATE_TEXT = {
  NORMAL: 'Normal',
  UNACK_ACTIVE: 'Active, unacknowledged',
  ACK_ACTIVE: 'Active, acknowledged',
  RTN_UNACK: 'Cleared, unacknowledged',
  SHELVED: 'Shelved',
  SUPPRESSED_BY_DESIGN: 'Suppressed by design',
  OUT_OF_SERVICE: 'Out of service',
};

/** The words for an alarm state. */
export function alarmStateText(state) {
  return ALARM_STATE_TEXT[state] || String(state || '');
}

/** True for states waiting for an acknowledgement. */
export function needsAck(state) {
  return state === 'UNACK_ACTIVE' || state === 'RTN_UNACK';
}

/** True for active states (announced). */
export function isActiveAlarm(state) {
  return state === 'UNACK_ACTIVE' || state === 'ACK_ACTIVE';
}

// ---------------------------------------------------------------- analog bar

/**
 * A small horizontal analog indicator (ISA-101): the scale [min, max], the normal band between the
 * low and high alarm limits, a setpoint mark and the value's pointer. Returns {node, update(v)}
 * with v = {value, setpoint, lo, hi, quality}; a value outside the limits turns the pointer to the
 * abnormal style, a bad/stale one hides or greys it.
 */
export function analogBar({ min = 0, max = 100, lo = null, hi = null, label = '' } = {}) {
  const band = el('span', { class: 'abar-band' });
  const sp = el('span', { class: 'abar-sp', title: 'setpoint' });
  const pv = el('span', { class: 'abar-pv' });
  const node = el(
    'span',
    { class: 'abar', role: 'img', 'aria-label': label },
    el('span', { class: 'abar-track' }, band, sp, pv),
  );
  const scale = { min, max, lo, hi };
  const pct = (v) =>
    Math.max(0, Math.min(100, ((v - scale.min) / (scale.max - scale.min || 1)) * 100));
  const setBand = () => {
    const a = scale.lo === null || scale.lo === undefined ? scale.min : scale.lo;
    const b = scale.hi === null || scale.hi === undefined ? scale.max : scale.hi;
    band.style.left = `${pct(a)}%`;
    band.style.width = `${Math.max(0, pct(b) - pct(a))}%`;
  };
  setBand();
  let last = { setpoint: Symbol('never drawn') };
  return {
    node,
    update({ value, setpoint, lo: l, hi: h, quality = 'good' } = {}) {
      if (l !== undefined || h !== undefined) {
        if (l !== undefined) scale.lo = l;
        if (h !== undefined) scale.hi = h;
        setBand();
      }
      if (setpoint !== last.setpoint) {
        sp.hidden = !Number.isFinite(setpoint);
        if (Number.isFinite(setpoint)) sp.style.left = `${pct(setpoint)}%`;
      }
      const shown = Number.isFinite(value) && quality !== 'bad' && quality !== 'missing';
      pv.hidden = !shown;
      if (shown) pv.style.left = `${pct(value)}%`;
      const outside =
        shown &&
        ((scale.lo !== null && scale.lo !== undefined && value < scale.lo) ||
          (scale.hi !== null && scale.hi !== undefined && value > scale.hi));
      node.classList.toggle('abar-abnormal', Boolean(outside));
      node.classList.toggle('abar-stale', quality === 'stale' || quality === 'uncertain');
      last = { value, setpoint };
    },
  };
}

// ---------------------------------------------------------------- per-frame updates

/**
 * Coalesces updates to at most one apply per key per animation frame: push(key, data) keeps only
 * the newest data of each key; on the next frame apply(key, data) runs once per key. A flood of
 * SSE samples thus costs one DOM update per tile per frame.
 */
export function perFrame(apply) {
  const pending = new Map();
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const batch = [...pending];
    pending.clear();
    for (const [k, v] of batch) {
      try {
        apply(k, v);
      } catch (e) {
        console.error('per-frame update failed', e);
      }
    }
  };
  return {
    push(key, data) {
      pending.set(key, data);
      if (!scheduled) {
        scheduled = true;
        requestAnimationFrame(flush);
      }
    },
  };
}

// ---------------------------------------------------------------- toast and dialogs

/** A short message at the bottom right; kind: info | ok | error. Errors stay until dismissed. */
export function toast(message, { kind = 'info', timeoutMs } = {}) {
  const box = document.querySelector('.toasts');
  const close = el('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss' }, '×');
  const node = el(
    'div',
    { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status', 'data-testid': 'toast' },
    el('span', { class: 'toast-kind', text: kind === 'error' ? '✕' : kind === 'ok' ? '✓' : 'i' }),
    el('span', { class: 'toast-text', text: message }),
    close,
  );
  close.addEventListener('click', () => node.remove());
  if (box) box.append(node);
  const ms = timeoutMs ?? (kind === 'error' ? 0 : 5000);
  if (ms > 0) setTimeout(() => node.remove(), ms);
  return node;
}

/** Shows an API refusal (or any error) as the server worded it. */
export function showError(error, prefix = '') {
  const text = error && typeof error.describe === 'function' ? error.describe() : String(error);
  return toast(prefix ? `${prefix}: ${text}` : text, { kind: 'error' });
}

/**
 * A modal confirmation: what will be done, a reason field, optionally an e-signature (password and
 * meaning) and any input fields. Resolves to {reason, signature, values} (signature {password,
 * meaning} or null; values by field name, numbers for type 'number'), or null when cancelled
 * (button, Escape). The API's refusal is for the caller to show (showError).
 *
 * @param o.title heading ("Change setpoint")
 * @param o.message what will happen, in words ("temperature: 37.0 → 37.5 °C")
 * @param o.reason 'required' | 'optional' | false
 * @param o.signature 'required' | 'optional' | false
 * @param o.meaning default meaning of the signature ("approved")
 * @param o.fields [{name, label, type ('number'|'text'), value, min, max, step, hint, options:[{value,
 *     label}]}]
 */
export function confirmDialog({
  title,
  message = '',
  confirmLabel = 'Confirm',
  reason = 'optional',
  reasonLabel = 'Reason',
  signature = false,
  meaning = '',
  danger = false,
  fields = [],
} = {}) {
  return new Promise((resolve) => {
    const inputs = fields.map((f) => {
      const input = f.options
        ? el(
            'select',
            { name: f.name, 'data-testid': `confirm-field-${f.name}` },
            f.options.map((o) =>
              el('option', { value: o.value, selected: String(o.value) === String(f.value) }, o.label ?? o.value),
            ),
          )
        : el('input', {
            name: f.name,
            type: f.type || 'text',
            value: f.value ?? '',
            min: f.min,
            max: f.max,
            step: f.step,
            required: f.required !== false,
            inputmode: f.type === 'number' ? 'decimal' : null,
            'data-testid': `confirm-field-${f.name}`,
          });
      return { f, input };
    });
    const reasonInput = reason
      ? el('textarea', { rows: 2, maxlength: 500, 'data-testid': 'confirm-reason', required: reason === 'required' })
      : null;
    const pw = signature
      ? el('input', { type: 'password', autocomplete: 'current-password', 'data-testid': 'confirm-password' })
      : null;
    const meaningInput = signature
      ? el('input', { type: 'text', value: meaning, maxlength: 200, 'data-testid': 'confirm-meaning' })
      : null;
    const error = el('p', { class: 'form-error', role: 'alert', hidden: true });
    const ok = el('button', {
      type: 'submit',
      class: danger ? 'btn btn-danger' : 'btn btn-primary',
      'data-testid': 'confirm-ok',
      text: confirmLabel,
    });
    const cancel = el('button', { type: 'button', class: 'btn', 'data-testid': 'confirm-cancel', text: 'Cancel' });
    const form = el(
      'form',
      { method: 'dialog', class: 'dialog-form' },
      el('h2', { text: title }),
      message ? el('p', { class: 'dialog-message', 'data-testid': 'confirm-message', text: message }) : null,
      inputs.map(({ f, input }) => el('label', {}, f.label || f.name, input, f.hint ? el('small', { class: 'muted', text: f.hint }) : null)),
      reasonInput
        ? el('label', {}, `${reasonLabel}${reason === 'required' ? ' (required)' : ''}`, reasonInput)
        : null,
      pw
        ? el(
            'fieldset',
            { class: 'esign' },
            el('legend', { text: `Electronic signature${signature === 'required' ? ' (required)' : ''}` }),
            el('label', {}, 'Your password', pw),
            el('label', {}, 'Meaning', meaningInput),
          )
        : null,
      error,
      el('div', { class: 'dialog-buttons' }, cancel, ok),
    );
    const dialog = el('dialog', { class: 'dialog', 'data-testid': 'confirm-dialog' }, form);
    const finish = (value) => {
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    cancel.addEventListener('click', () => finish(null));
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      finish(null);
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const values = {};
      for (const { f, input } of inputs) {
        if (f.type === 'number') {
          const n = Number(input.value);
          if (input.value.trim() === '' || !Number.isFinite(n)) {
            error.textContent = `${f.label || f.name}: enter a number`;
            error.hidden = false;
            input.focus();
            return;
          }
          values[f.name] = n;
        } else {
          values[f.name] = input.value;
        }
      }
      const r = reasonInput ? reasonInput.value.trim() : '';
      if (reason === 'required' && !r) {
        error.textContent = `${reasonLabel} is required`;
        error.hidden = false;
        reasonInput.focus();
        return;
      }
      let sig = null;
      if (pw && (pw.value || signature === 'required')) {
        if (!pw.value || !meaningInput.value.trim()) {
          error.textContent = 'The signature needs your password and its meaning';
          error.hidden = false;
          pw.focus();
          return;
        }
        sig = { password: pw.value, meaning: meaningInput.value.trim() };
      }
      finish({ reason: r || null, signature: sig, values });
    });
    document.body.append(dialog);
    dialog.showModal();
    (inputs.length ? inputs[0].input : reasonInput || pw || ok).focus();
  });
}

/** Everything above, as ctx.ui. */
export const ui = {
  ROLES,
  roleIncludes,
  el,
  clear,
  formatNumber,
  formatValue,
  formatTime,
  formatDateTime,
  formatDuration,
  formatAge,
  qualityOf,
  renderValue,
  PRIORITIES,
  priorityRank,
  priorityBadge,
  alarmStateText,
  needsAck,
  isActiveAlarm,
  analogBar,
  perFrame,
  toast,
  showError,
  confirmDialog,
};
