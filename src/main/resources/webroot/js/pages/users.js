// Users (admin): list, add, change role, disable, enable again, reset a password. Every action goes through the
// existing /api/users routes, is confirmed with a reason, and shows the API's refusal as it is.

import { seg } from '../api.js';

export async function mount(root, ctx) {
  const { el, ui } = { el: ctx.ui.el, ui: ctx.ui };
  const body = el('tbody', { 'data-testid': 'users-rows' });
  const table = el(
    'table',
    { class: 'grid users-table', 'data-testid': 'users-table' },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        ['User', 'Name', 'Role', 'State', 'Created', 'Actions'].map((h) => el('th', { scope: 'col', text: h })),
      ),
    ),
    body,
  );
  const addButton = el('button', {
    type: 'button',
    class: 'btn btn-primary',
    'data-testid': 'user-add',
    text: 'Add user…',
    onclick: () => addUser(),
  });
  root.append(
    el('div', { class: 'page-head' }, el('h1', { text: 'Users' }), addButton),
    el('p', {
      class: 'muted',
      text: 'Roles: viewer (sees), operator (runs the process), engineer (tunes, configures), admin (users).',
    }),
    table,
  );

  async function load() {
    const users = await ctx.api.get('/api/users');
    ui.clear(body);
    for (const u of users) body.append(row(u));
  }

  function row(u) {
    const state = u.disabled
      ? 'Disabled'
      : u.lockedUntil && Date.parse(u.lockedUntil) > Date.now()
        ? `Locked until ${ui.formatTime(u.lockedUntil)}`
        : u.mustChangePassword
          ? 'Must change password'
          : 'Active';
    const self = u.name === ctx.session.user;
    const roleSelect = el(
      'select',
      {
        'aria-label': `Role of ${u.name}`,
        'data-testid': `user-role-${u.name}`,
        disabled: u.disabled,
      },
      ui.ROLES.map((r) => el('option', { value: r, selected: r === u.role, text: r })),
    );
    roleSelect.addEventListener('change', () => changeRole(u, roleSelect));
    return el(
      'tr',
      { 'data-testid': `user-row-${u.name}`, class: u.disabled ? 'user-disabled' : null },
      el('td', { text: u.name }),
      el('td', { text: u.displayName || '' }),
      el('td', {}, roleSelect),
      el('td', { 'data-testid': `user-state-${u.name}`, text: state }),
      el('td', { text: ui.formatDateTime(u.createdAt) }),
      el(
        'td',
        { class: 'user-actions' },
        el('button', {
          type: 'button',
          class: 'btn btn-small',
          'data-testid': `user-password-${u.name}`,
          text: 'Reset password…',
          disabled: u.disabled,
          onclick: () => resetPassword(u),
        }),
        el('button', {
          type: 'button',
          class: 'btn btn-small btn-danger',
          'data-testid': `user-disable-${u.name}`,
          text: 'Disable…',
          disabled: u.disabled || self,
          title: self ? 'You cannot disable yourself here' : null,
          onclick: () => disable(u),
        }),
        u.disabled
          ? el('button', {
              type: 'button',
              class: 'btn btn-small',
              'data-testid': `user-enable-${u.name}`,
              text: 'Enable…',
              onclick: () => enable(u),
            })
          : null,
      ),
    );
  }

  async function act(what, request) {
    try {
      await request();
      ui.toast(what, { kind: 'ok' });
    } catch (e) {
      ui.showError(e, what.replace(/:.*/, ''));
    }
    await load();
  }

  async function changeRole(u, select) {
    const role = select.value;
    const answer = await ui.confirmDialog({
      title: `Change the role of ${u.name}`,
      message: `${u.name}: ${u.role} → ${role}. Takes effect at their next request.`,
      confirmLabel: 'Change role',
      reason: false,
    });
    if (!answer) {
      select.value = u.role;
      return;
    }
    await act(`${u.name}: role ${role}`, () => ctx.api.put(`/api/users/${seg(u.name)}/role`, { role }));
  }

  async function disable(u) {
    const answer = await ui.confirmDialog({
      title: `Disable ${u.name}`,
      message: `${u.name} can no longer log in; their sessions end and their API tokens stop working until they are enabled again.`,
      confirmLabel: 'Disable',
      reason: false,
      danger: true,
    });
    if (!answer) return;
    await act(`${u.name}: disabled`, () => ctx.api.post(`/api/users/${seg(u.name)}/disable`, {}));
  }

  async function enable(u) {
    const answer = await ui.confirmDialog({
      title: `Enable ${u.name}`,
      message: `${u.name} can log in again with their password (a lockout ends too); their API tokens work again.`,
      confirmLabel: 'Enable',
      reason: false,
    });
    if (!answer) return;
    await act(`${u.name}: enabled`, () => ctx.api.post(`/api/users/${seg(u.name)}/enable`, {}));
  }

  async function resetPassword(u) {
    const answer = await ui.confirmDialog({
      title: `Reset the password of ${u.name}`,
      message: 'They must change it at their next login. Give it to them by a safe channel.',
      confirmLabel: 'Reset password',
      reason: false,
      fields: [{ name: 'password', label: 'New password (at least 10 characters)', type: 'password' }],
    });
    if (!answer) return;
    await act(`${u.name}: password reset`, () =>
      ctx.api.post(`/api/users/${seg(u.name)}/password`, { password: answer.values.password }),
    );
  }

  async function addUser() {
    const answer = await ui.confirmDialog({
      title: 'Add a user',
      confirmLabel: 'Add user',
      reason: false,
      fields: [
        { name: 'name', label: 'User name (a-z, 0-9, . _ -)' },
        { name: 'displayName', label: 'Full name', required: false },
        { name: 'role', label: 'Role', options: ui.ROLES.map((r) => ({ value: r, label: r })), value: 'viewer' },
        { name: 'password', label: 'Initial password (at least 10 characters)', type: 'password' },
      ],
    });
    if (!answer) return;
    const v = answer.values;
    await act(`${v.name}: added as ${v.role}`, () =>
      ctx.api.post('/api/users', {
        name: v.name.trim(),
        ...(v.displayName.trim() ? { displayName: v.displayName.trim() } : {}),
        role: v.role,
        password: v.password,
        mustChangePassword: true,
      }),
    );
  }

  await load();
}
