package io.hepaloop.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hepaloop.store.Store;
import io.hepaloop.time.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions and API tokens in the database, on a stepped clock; the last-admin rule. */
class ApiAccessStoreTest {
  @TempDir Path tmp;
  private final ManualClock clock = new ManualClock();
  private Store store;
  private Users users;
  private Sessions sessions;
  private ApiTokens tokens;

  @BeforeEach
  void open() {
    store = Store.open(tmp);
    users = new Users(store, clock, new PasswordHasher(new PasswordHasher.Params(256, 1, 1)));
    sessions = new Sessions(store, clock, Sessions.Policy.DEFAULT);
    tokens = new ApiTokens(store, clock);
    users.add("ann", null, Role.OPERATOR, "ann's password".toCharArray(), false);
    users.add("root", null, Role.ADMIN, "root's password".toCharArray(), false);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void onlyTheHashOfASessionIsStoredAndItsTouchIsThrottled() {
    Sessions.Created s = sessions.create(users.get("ann"));
    String stored =
        store.read(
            c -> {
              try (var r = c.createStatement().executeQuery("SELECT id_hash FROM api_sessions")) {
                r.next();
                return r.getString(1);
              }
            });
    assertThat(stored).isNotEqualTo(s.id()).hasSize(64);
    clock.advance(Duration.ofSeconds(30));
    assertThat(sessions.find(s.id()).session().expiresAt())
        .isEqualTo(s.session().createdAt().plus(Sessions.Policy.DEFAULT.idle()));
    clock.advance(Duration.ofSeconds(61));
    assertThat(sessions.find(s.id()).session().expiresAt())
        .isEqualTo(clock.now().plus(Sessions.Policy.DEFAULT.idle()));
  }

  @Test
  void expiredSessionsAreDroppedByTheNextLoginAndANewPasswordEndsTheOthers() {
    Sessions.Created old = sessions.create(users.get("ann"));
    clock.advance(Duration.ofMinutes(31));
    assertThat(sessions.find(old.id()).refusal()).isEqualTo(Sessions.Refusal.EXPIRED);
    Sessions.Created a = sessions.create(users.get("ann"));
    Sessions.Created b = sessions.create(users.get("ann"));
    assertThat(sessions.count()).isEqualTo(2);
    users.setPassword("ann", "ann's new password".toCharArray(), false, a.session().idHash());
    assertThat(sessions.find(a.id()).session()).isNotNull();
    assertThat(sessions.find(b.id()).refusal()).isEqualTo(Sessions.Refusal.UNKNOWN);
  }

  @Test
  void tokensExpireAreRevokedAndStopWithTheirUser() {
    ApiTokens.Created t = tokens.create("ann", "script", clock.now().plus(Duration.ofDays(1)));
    assertThat(tokens.find(t.secret()).user().name()).isEqualTo("ann");
    assertThat(tokens.list("ann").get(0).lastUsedAt()).isEqualTo(clock.now());
    assertThat(tokens.find(t.secret() + "x").refusal()).isEqualTo(ApiTokens.Refusal.UNKNOWN);
    clock.advance(Duration.ofDays(1));
    assertThat(tokens.find(t.secret()).refusal()).isEqualTo(ApiTokens.Refusal.EXPIRED);

    ApiTokens.Created u = tokens.create("ann", "other", null);
    assertThat(tokens.revoke("root", u.token().id())).isFalse(); // not root's
    users.disable("ann");
    assertThat(tokens.find(u.secret()).refusal()).isEqualTo(ApiTokens.Refusal.USER_DISABLED);
    assertThat(tokens.revoke("ann", u.token().id())).isTrue();
    assertThat(tokens.find(u.secret()).refusal()).isEqualTo(ApiTokens.Refusal.REVOKED);
    assertThatThrownBy(() -> tokens.create("ann", " ", null)).hasMessageContaining("token name");
    assertThatThrownBy(() -> tokens.create("ann", "x", clock.now()))
        .hasMessageContaining("not in the future");
  }

  @Test
  void theLastEnabledAdminCanBeNeitherDemotedNorDisabled() {
    assertThatThrownBy(() -> users.setRole("root", Role.VIEWER))
        .isInstanceOf(UserException.class)
        .hasMessageContaining("last enabled admin");
    assertThatThrownBy(() -> users.disable("root")).hasMessageContaining("last enabled admin");
    users.setRole("ann", Role.ADMIN);
    users.disable("root");
    assertThat(users.get("root").disabled()).isTrue();
    assertThat(users.get("ann").role()).isEqualTo(Role.ADMIN);
  }
}
