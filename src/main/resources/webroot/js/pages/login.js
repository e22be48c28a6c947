// Login, and the password change a new user (or the first admin) must make before anything else.

export async function mount(root, ctx) {
  const { el, clear } = ctx.ui;
  const box = el('section', { class: 'login-box', 'aria-labelledby': 'login-title' });
  root.append(box);

  const fail = (node, error) => {
    node.textContent = error && error.describe ? error.describe() : String(error);
    node.hidden = false;
  };

  function loginForm() {
    const user = el('input', { id: 'login-user', name: 'user', autocomplete: 'username', required: true, 'data-testid': 'login-user' });
    const password = el('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true, 'data-testid': 'login-password' });
    const error = el('p', { class: 'form-error', role: 'alert', hidden: true, 'data-testid': 'login-error' });
    const submit = el('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'login-submit', text: 'Log in' });
    const form = el(
      'form',
      { class: 'form-stack', 'data-testid': 'login-form' },
      el('label', { for: 'login-user' }, 'User name'),
      user,
      el('label', { for: 'login-password' }, 'Password'),
      password,
      error,
      submit,
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      error.hidden = true;
      submit.disabled = true;
      try {
        const s = await ctx.api.login(user.value.trim(), password.value);
        if (s.mustChangePassword) {
          show(passwordForm(s, password.value));
        } else {
          ctx.loggedIn(s);
        }
      } catch (err) {
        fail(error, err);
        password.select();
      } finally {
        submit.disabled = false;
      }
    });
    clear(box).append(el('h1', { id: 'login-title', text: 'HepaLoop console' }));
    if (ctx.loginNotice) {
      box.append(el('p', { class: 'notice', role: 'status', 'data-testid': 'login-notice', text: ctx.loginNotice }));
    }
    box.append(form);
    user.focus();
  }

  function passwordForm(session, typed) {
    const current = el('input', { id: 'pw-current', type: 'password', autocomplete: 'current-password', required: true, 'data-testid': 'pw-current' });
    current.value = typed || '';
    const next = el('input', { id: 'pw-new', type: 'password', autocomplete: 'new-password', required: true, 'data-testid': 'pw-new' });
    const again = el('input', { id: 'pw-again', type: 'password', autocomplete: 'new-password', required: true, 'data-testid': 'pw-again' });
    const error = el('p', { class: 'form-error', role: 'alert', hidden: true, 'data-testid': 'pw-error' });
    const submit = el('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'pw-submit', text: 'Change password' });
    const form = el(
      'form',
      { class: 'form-stack', 'data-testid': 'password-form' },
      el('h1', { text: 'Choose a new password' }),
      el('p', { text: `${session.user}: your password must be changed before you continue.` }),
      el('label', { for: 'pw-current' }, 'Current password'),
      current,
      el('label', { for: 'pw-new' }, 'New password'),
      next,
      el('label', { for: 'pw-again' }, 'New password again'),
      again,
      error,
      submit,
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      error.hidden = true;
      if (next.value !== again.value) {
        fail(error, 'The two new passwords differ');
        return;
      }
      submit.disabled = true;
      try {
        await ctx.api.changePassword(current.value, next.value);
        ctx.loggedIn(await ctx.api.session());
      } catch (err) {
        fail(error, err);
      } finally {
        submit.disabled = false;
      }
    });
    return form;
  }

  function show(form) {
    clear(box).append(form);
    const first = form.querySelector('input:not([value]), input');
    if (first) first.focus();
  }

  if (ctx.session && ctx.session.mustChangePassword) show(passwordForm(ctx.session, ''));
  else loginForm();
}
