package io.hepaloop.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.core.Quality;
import org.junit.jupiter.api.Test;

/** What the loops and their snapshots read from the process image. */
class ProcessImageTest {
  final ProcessImage image = new ProcessImage();

  @Test
  void aValueMadeStaleByALostLinkReadsAsBadNotAsTheGoodItOnceWas() {
    image.put("pressure_inlet", 12.0, Quality.GOOD, false, 1);
    assertThat(image.quality("pressure_inlet")).isEqualTo(Quality.GOOD);

    image.markAllStale();

    assertThat(image.quality("pressure_inlet")).isEqualTo(Quality.BAD);
    assertThat(image.usable("pressure_inlet")).isFalse();
    assertThat(image.value("pressure_inlet")).isEqualTo(12.0); // kept for display
  }

  @Test
  void aSignalNeverReceivedReadsAsBad() {
    assertThat(image.quality("do_outlet")).isEqualTo(Quality.BAD);
    assertThat(image.value("do_outlet")).isNaN();
  }
}
