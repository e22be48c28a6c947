// The console's shell: session, hash router, navigation by role, the live alarm table behind the
// header badge, and the one SSE stream. Pages are js/pages/<page>.js modules exporting
// `mount(root, ctx)` (which may return an unmount function), loaded when first visited.

import { api, onUnauthorized, ApiError } from './api.js';
import { createStream } from './stream.js';
import { ui, el, clear, roleIncludes, needsAck, isActiveAlarm, priorityRank } from './ui.js';

/** Hash routes: '#/<page>[/<param>]' → page module and params. */
const ROUTES = {
  login: { page: 'login', role: null },
  overview: { page: 'overview', role: 'viewer' },
  reactor: { page: 'reactor', role: 'viewer', param: 'reactorId' },
  alarms: { page: 'alarms', role: 'viewer' },
  runs: { page: 'runs', role: 'viewer', param: 'runId' },
  audit: { page: 'audit', role: 'engineer' },
  users: { page: 'users', role: 'admin' },
};

/** How often the session watchdog looks (ms). */
const WATCH_MS = 15000;

const main = document.querySelector('#main');
const header = document.querySelector('.app-header');

const state = {
  session: null,
  returnTo: null,
  loginNotice: null,
  current: null, // {page, unmount, token}
  mountToken: 0,
  lastActivity: 0,
  lastTouch: 0,
};

/** The SSE stream; its reconnects probe the session so an expiry leads to login. */
const stream = createStream({ probe: () => api.session() });

// ---------------------------------------------------------------- live alarm table

/** Every alarm of the plant with its state and priority, kept live from the stream. */
const alarms = (() => {
  const byKey = new Map();
  const byReactor = new Map();
  const listeners = new Set();
  let reloadTimer = null;
  let definitionsVersion = 0;
  const key = (reactorId, alarmId) => `${reactorId}/${alarmId}`;
  const changed = () => listeners.forEach((fn) => fn());
  async function reload() {
    reloadTimer = null;
    if (!state.session) return;
    try {
      const list = await api.get('/api/alarms');
      byKey.clear();
      byReactor.clear();
      for (const a of list) {
        const copy = { ...a };
        byKey.set(key(a.reactorId, a.alarmId), copy);
        if (!byReactor.has(a.reactorId)) byReactor.set(a.reactorId, []);
        byReactor.get(a.reactorId).push(copy);
      }
      definitionsVersion += 1;
      changed();
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) console.warn('alarms: reload failed', e);
    }
  }
  function scheduleReload(ms = 300) {
    if (!reloadTimer) reloadTimer = setTimeout(reload, ms);
  }
  stream.on('alarm', (t) => {
    const a = byKey.get(key(t.reactorId, t.alarmId));
    if (!a) {
      scheduleReload();
      return;
    }
    a.state = t.to;
    a.value = t.value;
    a.time = t.time;
    changed();
  });
  stream.on('reset', () => scheduleReload(0));
  return {
    reload,
    clear() {
      byKey.clear();
      byReactor.clear();
      definitionsVersion += 1;
      changed();
    },
    /** All alarms: [{reactorId, alarmId, kind, source, priority, state, limit, ...}]. */
    all: () => [...byKey.values()],
    /** The alarms of one reactor (live objects: read, do not change). */
    ofReactor: (reactorId) => byReactor.get(reactorId) || [],
    /** Rises each time the definitions were (re)loaded: limits derived from them may be cached. */
    version: () => definitionsVersion,
    /** The most urgent active or unacknowledged alarm of a reactor, or null. */
    worstOf(reactorId) {
      let worst = null;
      for (const a of byReactor.get(reactorId) || []) {
        if (!(isActiveAlarm(a.state) || needsAck(a.state))) continue;
        if (!worst || rankOf(a) < rankOf(worst)) worst = a;
      }
      return worst;
    },
    /** Calls fn() after every change; returns the unsubscribe function. */
    onChange(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
})();

/** Priority first, then active-unacknowledged before the rest. */
function rankOf(a) {
  return priorityRank(a.priority) * 10 + (a.state === 'UNACK_ACTIVE' ? 0 : needsAck(a.state) ? 1 : 2);
}

function renderBadge() {
  const badge = document.querySelector('[data-testid="alarm-badge"]');
  if (!badge) return;
  const unack = alarms.all().filter((a) => needsAck(a.state));
  badge.dataset.count = String(unack.length);
  badge.hidden = unack.length === 0;
  const top = unack.reduce((w, a) => (!w || priorityRank(a.priority) < priorityRank(w.priority) ? a : w), null);
  badge.className = `alarm-badge${top ? ` prio-${String(top.priority).toLowerCase()}` : ''}`;
  const p = top && ui.PRIORITIES[top.priority];
  badge.textContent = unack.length ? `${p ? p.shape : ''}${unack.length}` : '';
  badge.title = `${unack.length} unacknowledged alarm${unack.length === 1 ? '' : 's'}`;
  badge.setAttribute('aria-label', badge.title);
}
alarms.onChange(renderBadge);

// ---------------------------------------------------------------- stream state in the header

stream.on('status', (s) => {
  const node = document.querySelector('[data-testid="stream-state"]');
  if (!node) return;
  node.dataset.state = s.state;
  node.textContent =
    s.state === 'open'
      ? '● Live'
      : s.state === 'closed'
        ? ''
        : `○ ${s.state === 'connecting' ? 'Connecting' : 'Reconnecting'} since ${ui.formatTime(s.since)}`;
  if (s.state === 'open' && s.attempt === 0 && state.session) alarms.reload();
});

// ---------------------------------------------------------------- session

function parseHash() {
  const raw = (location.hash || '').replace(/^#\/?/, '');
  const [path] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const route = ROUTES[parts[0]] || (parts.length === 0 ? ROUTES.overview : null);
  if (!route) return { page: parts[0], role: 'viewer', params: { rest: parts.slice(1) }, unknown: true };
  const params = { rest: parts.slice(1) };
  if (route.param && parts[1] !== undefined) params[route.param] = parts[1];
  return { ...route, params };
}

function navigate(hash) {
  const h = hash.startsWith('#') ? hash : `#${hash}`;
  if (location.hash === h) route();
  else location.hash = h;
}

function showHeader(session) {
  header.hidden = !session;
  if (!session) return;
  header.querySelector('[data-testid="who-user"]').textContent = session.displayName || session.user;
  header.querySelector('[data-testid="who-role"]').textContent = session.role;
  for (const a of header.querySelectorAll('.app-nav a')) {
    a.hidden = !roleIncludes(session.role, a.dataset.role);
  }
}

/** Called by the login page (ctx.loggedIn) and at start with a live session. */
function loggedIn(session) {
  state.session = session;
  state.loginNotice = null;
  state.lastTouch = Date.now();
  if (session.mustChangePassword) {
    showHeader(null);
    navigate('#/login');
    return;
  }
  showHeader(session);
  stream.start();
  alarms.reload();
  const to = state.returnTo && !state.returnTo.startsWith('#/login') ? state.returnTo : '#/overview';
  state.returnTo = null;
  navigate(to);
}

/** The session is gone (expired, logged out, revoked): stop everything, back to login. */
function sessionLost(notice) {
  const had = state.session !== null;
  state.session = null;
  stream.stop();
  alarms.clear();
  showHeader(null);
  if (had && notice) state.loginNotice = notice;
  const { page } = parseHash();
  if (page !== 'login') {
    if (!state.returnTo) state.returnTo = location.hash || '#/overview';
    navigate('#/login');
  } else if (had) {
    route();
  }
}

onUnauthorized((error) => sessionLost(error.detail || 'Your session has ended; log in again'));

async function logout() {
  try {
    await api.logout();
  } catch (e) {
    // an expired session is logged out anyway
  }
  state.returnTo = null;
  sessionLost('Logged out');
}

/**
 * Keeps the session honest: while the user acts, asks the server now and then (which keeps the
 * session alive, as any request does); when nobody acts, lets it idle out and, once its expiry has
 * passed, asks once, which answers 401 and leads to login.
 */
function watchdog() {
  if (!state.session) return;
  const now = Date.now();
  const expiresAt = Date.parse(state.session.expiresAt || '');
  const active = state.lastActivity > state.lastTouch;
  const expired = Number.isFinite(expiresAt) && now >= expiresAt;
  if (active || expired) {
    state.lastTouch = now;
    api
      .session()
      .then((s) => {
        if (state.session) state.session = { ...state.session, ...s };
      })
      .catch(() => {});
  }
}

for (const type of ['pointerdown', 'keydown']) {
  window.addEventListener(type, () => (state.lastActivity = Date.now()), { passive: true });
}
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && state.session) {
    api.session().catch(() => {});
  }
});
setInterval(watchdog, WATCH_MS);

// ---------------------------------------------------------------- router

function pageRoot(page) {
  return el('div', { class: `page page-${page}`, 'data-testid': `page-${page}` });
}

function unmountCurrent() {
  const c = state.current;
  state.current = null;
  if (c && typeof c.unmount === 'function') {
    try {
      c.unmount();
    } catch (e) {
      console.error(`unmount of ${c.page} failed`, e);
    }
  }
}

async function route() {
  const r = parseHash();
  if (!state.session && r.page !== 'login') {
    state.returnTo = location.hash;
    navigate('#/login');
    return;
  }
  if (state.session && state.session.mustChangePassword && r.page !== 'login') {
    navigate('#/login');
    return;
  }
  if (state.session && !state.session.mustChangePassword && r.page === 'login') {
    navigate('#/overview');
    return;
  }
  for (const a of header.querySelectorAll('.app-nav a')) {
    if (a.dataset.page === r.page) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  unmountCurrent();
  const token = ++state.mountToken;
  const root = pageRoot(r.page);
  clear(main).append(root);
  if (r.unknown) {
    root.append(el('h1', { text: 'No such page' }), el('p', { text: `There is no page '${r.page}'.` }));
    return;
  }
  if (r.role && !roleIncludes(state.session.role, r.role)) {
    root.append(
      el('h1', { text: 'Not allowed' }),
      el('p', {
        'data-testid': 'page-refused',
        text: `This page needs role ${r.role} or higher; you are ${state.session.role}.`,
      }),
    );
    return;
  }
  let module;
  try {
    module = await import(`./pages/${r.page}.js`);
  } catch (e) {
    if (token !== state.mountToken) return;
    console.error(e);
    root.append(
      el('h1', { text: 'Page not available' }),
      el('p', { 'data-testid': 'page-missing', text: `The ${r.page} page is not part of this build.` }),
    );
    return;
  }
  if (token !== state.mountToken) return;
  const ctx = {
    api,
    stream,
    ui,
    alarms,
    session: state.session ? { ...state.session } : null,
    params: r.params,
    navigate,
    loggedIn,
    loginNotice: state.loginNotice,
  };
  try {
    const unmount = await module.mount(root, ctx);
    if (token !== state.mountToken) {
      if (typeof unmount === 'function') unmount();
      return;
    }
    state.current = { page: r.page, unmount, token };
  } catch (e) {
    if (token !== state.mountToken) return;
    if (e instanceof ApiError && e.status === 401) return; // sessionLost is on its way
    console.error(e);
    root.append(el('p', { class: 'form-error', role: 'alert', 'data-testid': 'page-error', text: e.describe ? e.describe() : String(e) }));
  }
}

// ---------------------------------------------------------------- start

async function start() {
  header.querySelector('[data-testid="logout"]').addEventListener('click', logout);
  window.addEventListener('hashchange', route);
  try {
    const s = await api.session();
    state.returnTo = location.hash && !location.hash.startsWith('#/login') ? location.hash : null;
    loggedIn(s);
  } catch (e) {
    state.session = null;
    showHeader(null);
    route();
  }
}

start();

/** For tests and the browser console: the shell's state (read-only use). */
window.hepaloop = { api, stream, alarms, get session() { return state.session; } };
