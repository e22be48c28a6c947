// One EventSource on /api/stream for the whole console, shared by every page (ctx.stream).
//
// Event types, as api.EventStream sends them (each `data` is JSON):
//   sample  {reactorId, values:[{signal, value, unit, quality, stale, time}]}  per reactor, <= 1/s
//   loop    {reactorId, loopId, time, mode, setpoint, pv, pvQuality, output, ..., interlock}
//   alarm   {time, reactorId, alarmId, from, to, value, limit, user, comment, message}
//   event   {time, reactorId, type, source, severity, message}
//   run     {runId, reactorId, state, phaseIndex, phaseId, kind, message}  (run API, issue 9)
//   reset   {lastEventId, reason}: events were missed; reload state over REST
// and the pseudo type `status` {state: connecting|open|reconnecting|closed, since, attempt}.
//
// Reconnects itself with exponential backoff (1 s doubling to 30 s, with jitter), resuming after
// the last event id it saw (the server replays what it still holds, or sends `reset`). Before a
// reconnect it asks /api/session, so an expired session reaches the app's 401 handler (login)
// instead of retrying forever.

const KNOWN_TYPES = ['sample', 'loop', 'alarm', 'event', 'run', 'reset'];
const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 30000;

/**
 * @param {object} options
 * @param {string} [options.url] the stream's path
 * @param {() => Promise<unknown>} [options.probe] checks the session before a reconnect; a
 *     rejection with status 401 stops reconnecting
 */
export function createStream({ url = '/api/stream', probe = null } = {}) {
  const listeners = new Map();
  const registered = new Set();
  let source = null;
  let lastEventId = null;
  let attempt = 0;
  let timer = null;
  let closed = true;
  let status = { state: 'closed', since: Date.now(), attempt: 0 };

  function setStatus(state) {
    if (status.state === state && state !== 'reconnecting') return;
    status = { state, since: Date.now(), attempt };
    emit('status', status, { type: 'status', id: null, receivedAt: performance.now() });
  }

  function emit(type, data, meta) {
    const set = listeners.get(type);
    if (!set) return;
    for (const fn of [...set]) {
      try {
        fn(data, meta);
      } catch (e) {
        console.error(`stream listener for '${type}' failed`, e);
      }
    }
  }

  function register(type) {
    if (!source || registered.has(type) || type === 'status') return;
    registered.add(type);
    source.addEventListener(type, (ev) => {
      const receivedAt = performance.now();
      if (ev.lastEventId) lastEventId = ev.lastEventId;
      let data;
      try {
        data = JSON.parse(ev.data);
      } catch (e) {
        console.error(`stream: '${type}' event is not JSON`, ev.data);
        return;
      }
      emit(type, data, { type, id: ev.lastEventId || null, receivedAt });
    });
  }

  function connect() {
    timer = null;
    if (closed) return;
    const target = lastEventId ? `${url}?lastEventId=${encodeURIComponent(lastEventId)}` : url;
    source = new EventSource(target, { withCredentials: true });
    registered.clear();
    new Set([...KNOWN_TYPES, ...listeners.keys()]).forEach(register);
    setStatus(attempt === 0 ? 'connecting' : 'reconnecting');
    source.onopen = () => {
      attempt = 0;
      setStatus('open');
    };
    source.onerror = () => {
      // The browser would retry at the server's fixed interval; we back off instead.
      if (source) source.close();
      source = null;
      if (!closed) scheduleReconnect();
    };
  }

  function scheduleReconnect() {
    attempt += 1;
    setStatus('reconnecting');
    const base = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(attempt - 1, 10));
    const delay = base / 2 + Math.random() * (base / 2);
    timer = setTimeout(async () => {
      timer = null;
      if (closed) return;
      if (probe) {
        try {
          await probe();
        } catch (e) {
          if (e && e.status === 401) {
            stop();
            return;
          }
          if (!closed) scheduleReconnect(); // server still away: wait longer
          return;
        }
      }
      connect();
    }, delay);
  }

  function stop() {
    closed = true;
    if (timer) clearTimeout(timer);
    timer = null;
    if (source) source.close();
    source = null;
    setStatus('closed');
  }

  return {
    /** Opens the stream (once logged in). */
    start() {
      if (!closed) return;
      closed = false;
      attempt = 0;
      connect();
    },
    /** Closes it (logout, session lost); listeners stay for the next start. */
    stop,
    /**
     * Calls fn(data, meta) for each event of `type`; meta = {type, id, receivedAt} where
     * receivedAt is performance.now() when the event arrived. Returns the unsubscribe function.
     */
    on(type, fn) {
      if (!listeners.has(type)) listeners.set(type, new Set());
      listeners.get(type).add(fn);
      register(type);
      return () => {
        const set = listeners.get(type);
        if (set) set.delete(fn);
      };
    },
    /** {state, since, attempt} now. */
    status: () => status,
    /** The id of the last event received (resumption point). */
    lastEventId: () => lastEventId,
  };
}
