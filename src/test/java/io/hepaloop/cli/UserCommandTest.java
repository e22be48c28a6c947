package io.hepaloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.store.Store;
import io.hepaloop.time.SystemClock;
import io.hepaloop.users.LoginResult;
import io.hepaloop.users.Users;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code hepaloop user ...} through picocli on a temporary data directory. */
class UserCommandTest {
  @TempDir Path tmp;
  private final InputStream stdinBefore = System.in;

  private record Result(int exit, String out, String err) {}

  @AfterEach
  void restore() {
    System.setIn(stdinBefore);
    PasswordInput.environment = System::getenv;
  }

  private Result run(String stdin, String... args) {
    System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    CommandLine cli = HepaLoop.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--data-dir";
    all[args.length + 1] = tmp.toString();
    int exit = cli.execute(all);
    return new Result(exit, out.toString(), err.toString());
  }

  private LoginResult.Outcome login(String name, String password) {
    try (Store store = Store.open(tmp)) {
      return new Users(store, SystemClock.INSTANCE).verify(name, password.toCharArray()).outcome();
    }
  }

  private void assertNoUsers() {
    if (Files.exists(tmp.resolve(Store.FILE_NAME))) {
      try (Store store = Store.open(tmp)) {
        assertThat(new Users(store, SystemClock.INSTANCE).count()).isZero();
      }
    }
  }

  private void assertUserError(Result r, String message) {
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains(message).doesNotContain("\tat ");
  }

  @Test
  void addReadsThePasswordFromStandardInputAndListShowsTheUser() {
    Result add = run("a long password\n", "user", "add", "alice", "--role", "operator");

    assertThat(add.exit()).as(add.err()).isZero();
    assertThat(add.out()).contains("added alice (operator) in " + tmp.resolve("hepaloop.db"));
    assertThat(login("alice", "a long password")).isEqualTo(LoginResult.Outcome.OK);
    Result list = run("", "user", "list");
    assertThat(list.exit()).isZero();
    assertThat(list.out().lines())
        .anySatisfy(l -> assertThat(l).startsWith("alice ").contains("operator", "active"));
    assertThat(list.out()).doesNotContain("argon2");
  }

  @Test
  void aScriptGivesThePasswordInAnEnvironmentVariable() {
    PasswordInput.environment = Map.of("OPS_PASSWORD", "from the environment")::get;

    Result add =
        run(
            "",
            "user",
            "add",
            "bob",
            "--role",
            "ENGINEER",
            "--display-name",
            "Bob Jones",
            "--must-change-password",
            "--password-env",
            "OPS_PASSWORD");

    assertThat(add.exit()).as(add.err()).isZero();
    assertThat(login("bob", "from the environment")).isEqualTo(LoginResult.Outcome.OK);
    assertThat(run("", "user", "list").out())
        .contains("engineer")
        .contains("must change password")
        .contains("Bob Jones");
  }

  @Test
  void anUnsetPasswordVariableOrEmptyStandardInputIsRefused() {
    PasswordInput.environment = Map.<String, String>of()::get;
    assertUserError(
        run("", "user", "add", "bob", "--role", "viewer", "--password-env", "NOPE"),
        "hepaloop user add: environment variable NOPE (--password-env) is not set");
    assertUserError(
        run("", "user", "add", "bob", "--role", "viewer"), "no password: standard input is empty");
    assertNoUsers();
  }

  @Test
  void aPasswordIsNeverTakenFromAnArgument() {
    Result r = run("", "user", "add", "bob", "--role", "viewer", "a long password");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("Unmatched argument");
    assertNoUsers();
  }

  @Test
  void anUnknownRoleIsOneMessageNamingTheRoles() {
    assertUserError(
        run("a long password\n", "user", "add", "bob", "--role", "boss"),
        "hepaloop user add: unknown role 'boss'; roles: viewer, operator, engineer, admin");
  }

  @Test
  void anExistingUserIsRefusedAndKeepsItsPassword() {
    run("a long password\n", "user", "add", "alice", "--role", "viewer");
    assertUserError(
        run("another password\n", "user", "add", "alice", "--role", "admin"),
        "hepaloop user add: user 'alice' exists already");
    assertThat(login("alice", "a long password")).isEqualTo(LoginResult.Outcome.OK);
  }

  @Test
  void aWeakPasswordIsRefusedAndNoUserIsAdded() {
    assertUserError(
        run("short\n", "user", "add", "bob", "--role", "viewer"),
        "hepaloop user add: password too short: 5 characters, at least 10 needed");
    assertUserError(
        run("bob.jones.x\n", "user", "add", "bob.jones.x", "--role", "viewer"),
        "password must not be the user name");
    assertNoUsers();
  }

  @Test
  void passwdSetsANewPasswordAndRefusesAnUnknownUser() {
    run("a long password\n", "user", "add", "alice", "--role", "viewer");

    Result passwd = run("a newer password\n", "user", "passwd", "alice");
    assertThat(passwd.exit()).as(passwd.err()).isZero();
    assertThat(login("alice", "a newer password")).isEqualTo(LoginResult.Outcome.OK);
    assertThat(login("alice", "a long password")).isEqualTo(LoginResult.Outcome.WRONG_PASSWORD);

    assertUserError(
        run("a newer password\n", "user", "passwd", "carol"),
        "hepaloop user passwd: no user 'carol'; users: alice");
    assertUserError(run("short\n", "user", "passwd", "alice"), "password too short");
    assertThat(login("alice", "a newer password")).isEqualTo(LoginResult.Outcome.OK);
  }

  @Test
  void aDisabledUserCannotLogInAndIsListedAsDisabled() {
    run("a long password\n", "user", "add", "alice", "--role", "operator");

    Result disable = run("", "user", "disable", "alice");
    assertThat(disable.exit()).as(disable.err()).isZero();
    assertThat(login("alice", "a long password")).isEqualTo(LoginResult.Outcome.DISABLED);
    assertThat(run("", "user", "list").out()).contains("disabled");
    assertUserError(run("", "user", "disable", "zed"), "no user 'zed'; users: alice");
  }

  @Test
  void addCreatesTheDatabaseButTheOtherCommandsRefuseADirectoryWithout() {
    assertUserError(run("", "user", "list"), "hepaloop user list: no database in " + tmp);
    assertUserError(run("a long password\n", "user", "passwd", "alice"), "check --data-dir");
    assertThat(Files.exists(tmp.resolve("hepaloop.db"))).as("not created by a refusal").isFalse();

    run("a long password\n", "user", "add", "alice", "--role", "viewer");
    assertThat(Files.exists(tmp.resolve("hepaloop.db"))).isTrue();
  }

  @Test
  void listSaysSoWhenThereAreNoUsers() {
    Store.open(tmp).close();
    Result list = run("", "user", "list");
    assertThat(list.exit()).isZero();
    assertThat(list.out()).contains("no users in " + tmp);
  }

  @Test
  void enableLetsADisabledUserLogInAgainAndEndsTheirLockout() {
    run("a long password\n", "user", "add", "alice", "--role", "operator");
    for (int i = 0; i < 4; i++) {
      assertThat(login("alice", "a wrong password")).isEqualTo(LoginResult.Outcome.WRONG_PASSWORD);
    }
    run("", "user", "disable", "alice");
    assertThat(login("alice", "a long password")).isEqualTo(LoginResult.Outcome.DISABLED);

    Result enable = run("", "user", "enable", "alice");
    assertThat(enable.exit()).as(enable.err()).isZero();
    assertThat(enable.out()).contains("alice enabled");
    assertThat(run("", "user", "list").out().lines())
        .anySatisfy(l -> assertThat(l).startsWith("alice ").contains("active"));
    // the four failures from before are forgotten: a fifth wrong password does not lock
    assertThat(login("alice", "a wrong password")).isEqualTo(LoginResult.Outcome.WRONG_PASSWORD);
    assertThat(login("alice", "a long password")).isEqualTo(LoginResult.Outcome.OK);

    assertUserError(run("", "user", "enable", "zed"), "hepaloop user enable: no user 'zed'");
  }

  @Test
  void roleGivesAnotherRoleButNeverDemotesTheLastAdmin() {
    run("a long password\n", "user", "add", "alice", "--role", "operator");
    run("a long password\n", "user", "add", "root", "--role", "admin");

    Result role = run("", "user", "role", "alice", "ENGINEER");
    assertThat(role.exit()).as(role.err()).isZero();
    assertThat(role.out()).contains("alice: role operator -> engineer");
    try (Store store = Store.open(tmp)) {
      assertThat(new Users(store, SystemClock.INSTANCE).get("alice").role().id())
          .isEqualTo("engineer");
    }

    assertUserError(
        run("", "user", "role", "alice", "boss"), "hepaloop user role: unknown role 'boss'");
    assertUserError(run("", "user", "role", "zed", "viewer"), "no user 'zed'");
    assertUserError(
        run("", "user", "role", "root", "viewer"),
        "'root' is the last enabled admin: cannot demote");
  }

  @Test
  void aDatabaseFileThatIsNotSqliteIsOneLineNamingIt() throws Exception {
    Path db = tmp.resolve("hepaloop.db");
    Files.writeString(db, "these are my notes, not a database\n");
    String text = db + " is not an SQLite database: it starts with text, not SQLite's header";
    assertOneLine(run("", "user", "list"), "hepaloop user list: " + text);
    assertOneLine(run("", "user", "disable", "alice"), "hepaloop user disable: " + text);
    assertOneLine(run("", "user", "enable", "alice"), "hepaloop user enable: " + text);
    assertOneLine(run("", "user", "role", "alice", "viewer"), "hepaloop user role: " + text);
    assertOneLine(run("a long password\n", "user", "passwd", "alice"), text);
    assertOneLine(run("a long password\n", "user", "add", "alice", "--role", "viewer"), text);
    assertThat(Files.readString(db)).as("left as it was").startsWith("these are my notes");

    Files.write(
        db, new byte[] {0, 1, 2, 3, (byte) 0xff, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
    assertOneLine(
        run("", "user", "list"),
        db + " is not an SQLite database: it starts with other bytes, not SQLite's header");
  }

  @Test
  void aDamagedDatabaseOrADirectoryInItsPlaceIsOneLineNamingIt() throws Exception {
    Path db = tmp.resolve("hepaloop.db");
    byte[] damaged = new byte[4096];
    byte[] header = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(header, 0, damaged, 0, header.length);
    java.util.Arrays.fill(damaged, header.length, damaged.length, (byte) 0x5a);
    Files.write(db, damaged);
    Result r = run("", "user", "list");
    assertOneLine(r, "hepaloop user list: " + db);
    assertThat(r.err()).contains("check --data-dir");

    Files.delete(db);
    Files.createDirectory(db);
    assertOneLine(
        run("", "user", "list"), db + " is a directory, not a database file; check --data-dir");
  }

  private void assertOneLine(Result r, String message) {
    assertUserError(r, message);
    assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
  }
}
