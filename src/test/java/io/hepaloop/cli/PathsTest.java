package io.hepaloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Where the commands find the shipped profile when given no --profile. */
class PathsTest {

  @Test
  void withoutAProfileOptionEveryCommandUsesTheShippedProfileUnderTheRoot() {
    assertThat(Paths.profileOrDefault(null))
        .isEqualTo(Paths.root().resolve("device-profiles/liver-perfusion-bioreactor.yaml"))
        .isRegularFile();
  }

  @Test
  void aGivenProfileIsTakenAsWrittenRelativeToTheWorkingDirectory() {
    Path given = Path.of("my-profiles/rig.yaml");
    assertThat(Paths.profileOrDefault(given)).isSameAs(given);
  }
}
