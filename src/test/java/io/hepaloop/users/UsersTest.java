package io.hepaloop.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hepaloop.store.Store;
import io.hepaloop.time.ManualClock;
import io.hepaloop.users.LoginResult.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Users in the database: adding, passwords, lockout on a stepped clock, disabling, first admin. */
class UsersTest {
  @TempDir Path tmp;
  private final ManualClock clock = new ManualClock();
  private Store store;
  private Users users;

  private static final char[] RIGHT = "right password 1".toCharArray();
  private static final char[] WRONG = "wrong password 1".toCharArray();

  @BeforeEach
  void open() {
    store = Store.open(tmp);
    // Cheap hashes keep the test fast; the default cost is PasswordHasherTest's.
    users = new Users(store, clock, new PasswordHasher(new PasswordHasher.Params(256, 1, 1)));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void anAddedUserIsStoredWithRoleAndTimesAndCanLogIn() {
    users.add("alice", "Alice Smith", Role.OPERATOR, RIGHT, false);
    clock.advance(Duration.ofSeconds(5));

    User alice = users.find("alice").orElseThrow();
    assertThat(alice.displayName()).isEqualTo("Alice Smith");
    assertThat(alice.role()).isEqualTo(Role.OPERATOR);
    assertThat(alice.createdAt()).isEqualTo(clock.now().minusSeconds(5));
    assertThat(alice.mustChangePassword()).isFalse();
    LoginResult login = users.verify("alice", RIGHT);
    assertThat(login.ok()).isTrue();
    assertThat(login.user().name()).isEqualTo("alice");
    assertThat(users.verify("alice", WRONG).outcome()).isEqualTo(Outcome.WRONG_PASSWORD);
  }

  @Test
  void theStoredHashIsArgon2idNotThePassword() {
    users.add("alice", null, Role.VIEWER, RIGHT, false);
    String stored =
        store.read(
            c -> {
              try (var r = c.createStatement().executeQuery("SELECT password_hash FROM users")) {
                r.next();
                return r.getString(1);
              }
            });
    assertThat(stored).startsWith("$argon2id$").doesNotContain(new String(RIGHT));
  }

  @Test
  void aTakenNameAWeakPasswordAndAnUnknownUserAreRefusedClearly() {
    users.add("alice", null, Role.VIEWER, RIGHT, false);

    assertThatThrownBy(() -> users.add("alice", null, Role.ADMIN, RIGHT, false))
        .isInstanceOf(UserException.class)
        .hasMessage("user 'alice' exists already");
    assertThatThrownBy(() -> users.add("bob", null, Role.VIEWER, "short".toCharArray(), false))
        .hasMessageContaining("password too short");
    assertThatThrownBy(() -> users.setPassword("carol", RIGHT, false))
        .isInstanceOf(UserException.class)
        .hasMessage("no user 'carol'; users: alice");
    assertThatThrownBy(() -> users.disable("carol")).hasMessage("no user 'carol'; users: alice");
    assertThat(users.find("alice").orElseThrow().role()).isEqualTo(Role.VIEWER);
  }

  @Test
  void fiveFailuresLockTheAccountForFifteenMinutesEvenAgainstTheRightPassword() {
    users.add("alice", null, Role.OPERATOR, RIGHT, false);
    for (int i = 1; i < Users.MAX_FAILED_LOGINS; i++) {
      assertThat(users.verify("alice", WRONG).outcome())
          .as("failure " + i)
          .isEqualTo(Outcome.WRONG_PASSWORD);
    }
    LoginResult fifth = users.verify("alice", WRONG);
    assertThat(fifth.outcome()).isEqualTo(Outcome.LOCKED);
    assertThat(fifth.lockedUntil()).isEqualTo(clock.now().plus(Duration.ofMinutes(15)));

    clock.advance(Duration.ofMinutes(15).minusSeconds(1));
    LoginResult stillLocked = users.verify("alice", RIGHT);
    assertThat(stillLocked.outcome()).isEqualTo(Outcome.LOCKED);
    assertThat(stillLocked.user()).isNull();

    clock.advance(Duration.ofSeconds(1));
    assertThat(users.verify("alice", RIGHT).ok()).isTrue();
    User alice = users.find("alice").orElseThrow();
    assertThat(alice.failedLogins()).isZero();
    assertThat(alice.lockedUntil()).isNull();
  }

  @Test
  void afterALockoutRunsOutTheCountStartsAgain() {
    users.add("alice", null, Role.OPERATOR, RIGHT, false);
    for (int i = 0; i < Users.MAX_FAILED_LOGINS; i++) {
      users.verify("alice", WRONG);
    }
    clock.advance(Users.LOCKOUT);

    assertThat(users.verify("alice", WRONG).outcome())
        .as("one failure after the lockout does not lock again")
        .isEqualTo(Outcome.WRONG_PASSWORD);
    assertThat(users.find("alice").orElseThrow().failedLogins()).isEqualTo(1);
  }

  @Test
  void attemptsDuringALockoutDoNotExtendIt() {
    users.add("alice", null, Role.OPERATOR, RIGHT, false);
    for (int i = 0; i < Users.MAX_FAILED_LOGINS; i++) {
      users.verify("alice", WRONG);
    }
    java.time.Instant until = users.find("alice").orElseThrow().lockedUntil();
    clock.advance(Duration.ofMinutes(10));
    users.verify("alice", WRONG);
    assertThat(users.find("alice").orElseThrow().lockedUntil()).isEqualTo(until);
  }

  @Test
  void aSuccessResetsTheCount() {
    users.add("alice", null, Role.OPERATOR, RIGHT, false);
    for (int i = 1; i < Users.MAX_FAILED_LOGINS; i++) {
      users.verify("alice", WRONG);
    }
    assertThat(users.find("alice").orElseThrow().failedLogins()).isEqualTo(4);
    assertThat(users.verify("alice", RIGHT).ok()).isTrue();

    assertThat(users.verify("alice", WRONG).outcome()).isEqualTo(Outcome.WRONG_PASSWORD);
    assertThat(users.find("alice").orElseThrow().failedLogins()).isEqualTo(1);
  }

  @Test
  void aNewPasswordEndsALockout() {
    users.add("alice", null, Role.OPERATOR, RIGHT, false);
    for (int i = 0; i < Users.MAX_FAILED_LOGINS; i++) {
      users.verify("alice", WRONG);
    }
    char[] fresh = "a fresh password".toCharArray();
    users.setPassword("alice", fresh, true);

    LoginResult login = users.verify("alice", fresh);
    assertThat(login.ok()).isTrue();
    assertThat(login.user().mustChangePassword()).isTrue();
    assertThat(users.verify("alice", RIGHT).outcome()).isEqualTo(Outcome.WRONG_PASSWORD);
  }

  @Test
  void aDisabledUserCannotLogInWithTheRightPassword() {
    users.add("alice", null, Role.OPERATOR, RIGHT, false); // the last admin cannot be disabled
    users.disable("alice");

    assertThat(users.verify("alice", RIGHT).outcome()).isEqualTo(Outcome.DISABLED);
    assertThat(users.find("alice").orElseThrow().disabled()).isTrue();
  }

  @Test
  void anEnabledUserLogsInAgainWithTheirPasswordAndStartsAFreshCount() {
    users.add("alice", null, Role.OPERATOR, RIGHT, false);
    for (int i = 1; i < Users.MAX_FAILED_LOGINS; i++) {
      assertThat(users.verify("alice", WRONG).outcome()).isEqualTo(Outcome.WRONG_PASSWORD);
    }
    users.disable("alice");
    assertThat(users.verify("alice", RIGHT).outcome()).isEqualTo(Outcome.DISABLED);

    users.enable("alice");

    User alice = users.get("alice");
    assertThat(alice.disabled()).isFalse();
    assertThat(alice.failedLogins()).isZero();
    // one more wrong password is the first of a new count, not the fifth that locks
    assertThat(users.verify("alice", WRONG).outcome()).isEqualTo(Outcome.WRONG_PASSWORD);
    assertThat(users.verify("alice", RIGHT).outcome()).isEqualTo(Outcome.OK);
    assertThatThrownBy(() -> users.enable("carol")).hasMessage("no user 'carol'; users: alice");
  }

  @Test
  void enablingEndsALockout() {
    users.add("alice", null, Role.OPERATOR, RIGHT, false);
    for (int i = 0; i < Users.MAX_FAILED_LOGINS; i++) {
      users.verify("alice", WRONG);
    }
    assertThat(users.verify("alice", RIGHT).outcome()).isEqualTo(Outcome.LOCKED);

    users.enable("alice");

    assertThat(users.get("alice").lockedUntil()).isNull();
    assertThat(users.verify("alice", RIGHT).outcome()).isEqualTo(Outcome.OK);
  }

  @Test
  void anUnknownUserIsNotFoundAndNothingIsCounted() {
    assertThat(users.verify("mallory", WRONG).outcome()).isEqualTo(Outcome.UNKNOWN_USER);
    assertThat(users.verify("Not A Valid Name!", WRONG).outcome()).isEqualTo(Outcome.UNKNOWN_USER);
    assertThat(users.count()).isZero();
  }

  @Test
  void theFirstStartCreatesAnAdminWhoMustChangeTheRandomPasswordAndLaterStartsDoNot() {
    Optional<String> password = users.ensureFirstAdmin();

    assertThat(password).isPresent();
    assertThat(password.get()).hasSize(20);
    User admin = users.find("admin").orElseThrow();
    assertThat(admin.role()).isEqualTo(Role.ADMIN);
    assertThat(admin.mustChangePassword()).isTrue();
    assertThat(users.verify("admin", password.get().toCharArray()).ok()).isTrue();

    assertThat(users.ensureFirstAdmin()).isEmpty();
    assertThat(users.count()).isEqualTo(1);
  }

  @Test
  void firstAdminPasswordsAreRandom() {
    String first = users.ensureFirstAdmin().orElseThrow();
    store.transaction(c -> c.createStatement().executeUpdate("DELETE FROM users"));
    String second = users.ensureFirstAdmin().orElseThrow();
    assertThat(second).isNotEqualTo(first);
  }

  @Test
  void noFirstAdminWhenSomeoneIsThereAlready() {
    users.add("alice", null, Role.ADMIN, RIGHT, false);
    assertThat(users.ensureFirstAdmin()).isEmpty();
    assertThat(users.find("admin")).isEmpty();
  }

  @Test
  void usersSurviveAReopen() {
    users.add("alice", "Alice", Role.ENGINEER, RIGHT, false);
    store.close();
    store = Store.open(tmp);
    users = new Users(store, clock);
    assertThat(users.list()).extracting(User::name).containsExactly("alice");
    assertThat(users.verify("alice", RIGHT).ok()).isTrue();
  }
}
