package io.hepaloop.profile;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads device profiles. (Validation with JSON Schema and semantic checks is being added; until then
 * this only parses.)
 */
public final class ProfileLoader {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  private ProfileLoader() {}

  public static DeviceProfile load(Path file) {
    try {
      return YAML.readValue(file.toFile(), DeviceProfile.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }
}
