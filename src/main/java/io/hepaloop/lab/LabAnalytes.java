package io.hepaloop.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The analytes a plant's lab results may name: the built-in list, then those of the plant
 * configuration's {@code lab: analytes:} (one with a built-in id replaces it, say to give albumin
 * in mg/L; a new id is added). The built-in canonical units are the ones hepatocyte culture papers
 * report: albumin µg/mL of medium (µg/day per 10^6 cells is a figure derived from it, not an entry
 * unit), urea, glucose and lactate mmol/L (with their molar masses, so mg/dL converts), LDH U/L,
 * viability %.
 */
public final class LabAnalytes {
  private static final List<Analyte> DEFAULTS =
      List.of(
          Analyte.of("albumin", "Albumin", "µg/mL"),
          new Analyte("urea", "Urea", "mmol/L", 60.06),
          Analyte.of("ldh", "Lactate dehydrogenase (LDH)", "U/L"),
          new Analyte("glucose", "Glucose", "mmol/L", 180.16),
          new Analyte("lactate", "Lactate", "mmol/L", 90.08),
          Analyte.of("viability", "Viability", "%"));

  private final Map<String, Analyte> byId = new LinkedHashMap<>();

  /** The built-in analytes with {@code configured} over them (null or empty: the built-in ones). */
  public LabAnalytes(List<Analyte> configured) {
    DEFAULTS.forEach(a -> byId.put(a.id(), a));
    if (configured != null) {
      configured.forEach(a -> byId.put(a.id(), a));
    }
  }

  /** The built-in analytes only. */
  public static LabAnalytes defaults() {
    return new LabAnalytes(List.of());
  }

  /** The built-in list, in the order the API lists it. */
  public static List<Analyte> builtIn() {
    return DEFAULTS;
  }

  /** Every analyte: the built-in ones first (replaced in place), then the added ones. */
  public List<Analyte> all() {
    return new ArrayList<>(byId.values());
  }

  public Optional<Analyte> find(String id) {
    return Optional.ofNullable(id == null ? null : byId.get(id));
  }

  /** The ids there are, for error messages. */
  public String ids() {
    return String.join(", ", byId.keySet());
  }
}
