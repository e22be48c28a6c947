package io.hepaloop.profile;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum SignalKind {
  @JsonProperty("sensor")
  SENSOR,
  @JsonProperty("actuator")
  ACTUATOR
}
