package io.hepaloop.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.core.Quality;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.junit.jupiter.api.Test;

class QualitiesTest {
  @Test
  void goodUncertainAndBadStatusCodesMapToTheirQuality() {
    assertThat(Qualities.of(StatusCode.GOOD)).isEqualTo(Quality.GOOD);
    assertThat(Qualities.of(new StatusCode(StatusCodes.Uncertain_SensorNotAccurate)))
        .isEqualTo(Quality.UNCERTAIN);
    assertThat(Qualities.of(new StatusCode(StatusCodes.Uncertain_LastUsableValue)))
        .isEqualTo(Quality.UNCERTAIN);
    assertThat(Qualities.of(new StatusCode(StatusCodes.Bad_SensorFailure))).isEqualTo(Quality.BAD);
    assertThat(Qualities.of(new StatusCode(StatusCodes.Bad_CommunicationError)))
        .isEqualTo(Quality.BAD);
  }

  @Test
  void aGoodCodeWithInfoBitsIsStillGood() {
    // Good + "limit high" bits (Part 4, 7.39): the severity bits alone decide.
    assertThat(Qualities.of(new StatusCode(StatusCodes.Good_Clamped | 0x0200L)))
        .isEqualTo(Quality.GOOD);
  }

  @Test
  void anAbsentStatusCodeMeansGood() {
    assertThat(Qualities.of(null)).isEqualTo(Quality.GOOD);
  }

  @Test
  void statusCodesAreNamedForPeople() {
    assertThat(Qualities.name(new StatusCode(StatusCodes.Bad_UserAccessDenied)))
        .isEqualTo("Bad_UserAccessDenied");
    assertThat(Qualities.name(0x80FF0000L)).isEqualTo("0x80FF0000");
  }

  @Test
  void aRequestNobodyAnsweredIsToldApartFromOneTheDeviceRefused() {
    assertThat(
            Qualities.unanswered(
                new org.eclipse.milo.opcua.stack.core.UaException(StatusCodes.Bad_Timeout), null))
        .isTrue();
    assertThat(
            Qualities.unanswered(
                new java.util.concurrent.CompletionException(
                    new org.eclipse.milo.opcua.stack.core.UaException(
                        StatusCodes.Bad_ConnectionClosed)),
                null))
        .isTrue();
    assertThat(Qualities.unanswered(new java.io.IOException("reset by peer"), null)).isTrue();
    assertThat(Qualities.unanswered(null, new StatusCode(StatusCodes.Bad_SessionIdInvalid)))
        .isTrue();
    assertThat(Qualities.unanswered(null, new StatusCode(StatusCodes.Bad_NotWritable))).isFalse();
    assertThat(
            Qualities.unanswered(
                new org.eclipse.milo.opcua.stack.core.UaException(StatusCodes.Bad_UserAccessDenied),
                null))
        .isFalse();
    assertThat(Qualities.unanswered(null, StatusCode.GOOD)).isFalse();
  }
}
