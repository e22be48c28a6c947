package io.hepaloop.lab;

import java.util.regex.Pattern;

/**
 * Something a lab measures in a sample (albumin, urea, LDH...): its id (used in the API, the
 * database and as an InfluxDB tag), a name for people, and the canonical unit every entry is
 * converted to for trends and reports.
 *
 * @param id letters, digits, '_' or '-' ("albumin", "ldh")
 * @param name for people ("Albumin")
 * @param unit the canonical unit as written ("µg/mL"); must parse with {@link LabUnits}
 * @param molarMassGPerMol the molar mass, for analytes entered by mass or by amount of substance
 *     (glucose in mg/dL or mmol/L); null when the analyte has none (a protein, an enzyme activity)
 */
public record Analyte(String id, String name, String unit, Double molarMassGPerMol) {
  /** What an analyte id may be: it is a path segment, a tag value and a column value. */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

  public Analyte {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "analyte id '"
              + id
              + "' must be 1-64 letters, digits, '_' or '-', starting with a letter or digit");
    }
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("analyte " + id + ": name is missing");
    }
    if (molarMassGPerMol != null && !(Double.isFinite(molarMassGPerMol) && molarMassGPerMol > 0)) {
      throw new IllegalArgumentException(
          "analyte " + id + ": molarMassGPerMol must be a number > 0, got " + molarMassGPerMol);
    }
    String problem = LabUnits.problem(unit);
    if (problem != null) {
      throw new IllegalArgumentException("analyte " + id + ": unit " + problem);
    }
  }

  /** An analyte without a molar mass. */
  public static Analyte of(String id, String name, String unit) {
    return new Analyte(id, name, unit, null);
  }
}
