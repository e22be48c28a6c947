package io.hepaloop.users;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordRulesTest {
  @Test
  void aPasswordOfTenCharactersIsEnoughAndNineIsNot() {
    assertThatCode(() -> PasswordRules.checkPassword("alice", "0123456789".toCharArray()))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> PasswordRules.checkPassword("alice", "012345678".toCharArray()))
        .isInstanceOf(UserException.class)
        .hasMessageContaining("password too short: 9 characters, at least 10 needed");
  }

  @Test
  void lengthCountsCharactersNotUtf16Units() {
    // Nine emoji are 18 UTF-16 units but nine characters.
    String nine = "\uD83D\uDE00".repeat(9);
    assertThatThrownBy(() -> PasswordRules.checkPassword("alice", nine.toCharArray()))
        .hasMessageContaining("9 characters");
  }

  @Test
  void theUserNameIsNotAPasswordInAnyCase() {
    assertThatThrownBy(
            () -> PasswordRules.checkPassword("alice.smith", "Alice.Smith".toCharArray()))
        .isInstanceOf(UserException.class)
        .hasMessage("password must not be the user name");
  }

  @Test
  void anAbsurdlyLongPasswordIsRefused() {
    assertThatThrownBy(() -> PasswordRules.checkPassword("alice", new char[1025]))
        .hasMessageContaining("password too long: 1025 characters, at most 1024");
  }

  @Test
  void userNamesAreOneLowerCaseSpelling() {
    assertThatCode(() -> PasswordRules.checkName("a.smith-2_x")).doesNotThrowAnyException();
    for (String bad : new String[] {"", "Alice", "-alice", "al ice", "a".repeat(33), null}) {
      assertThatThrownBy(() -> PasswordRules.checkName(bad))
          .as(String.valueOf(bad))
          .isInstanceOf(UserException.class)
          .hasMessageContaining("use 1 to 32 lower-case letters");
    }
  }

  @Test
  void anUnknownRoleNamesTheRolesThereAre() {
    assertThatThrownBy(() -> Role.parse("superuser"))
        .isInstanceOf(UserException.class)
        .hasMessage("unknown role 'superuser'; roles: viewer, operator, engineer, admin");
  }
}
