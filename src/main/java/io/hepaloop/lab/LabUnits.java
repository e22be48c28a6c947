package io.hepaloop.lab;

import static javax.measure.MetricPrefix.DECI;
import static javax.measure.MetricPrefix.KILO;
import static javax.measure.MetricPrefix.MICRO;
import static javax.measure.MetricPrefix.MILLI;
import static javax.measure.MetricPrefix.NANO;

import java.util.regex.Pattern;
import javax.measure.Dimension;
import javax.measure.IncommensurableException;
import javax.measure.UnconvertibleException;
import javax.measure.Unit;
import javax.measure.format.MeasurementParseException;
import tech.units.indriya.AbstractUnit;
import tech.units.indriya.format.SimpleUnitFormat;
import tech.units.indriya.unit.Units;

/**
 * Units of lab results, parsed, compared and converted with the units library indriya (JSR 385),
 * not by comparing strings: "mg/dL" and "mg/L" are the same kind of quantity and convert by 10;
 * "mg/dL" and "mmol/L" are not, and convert only through an analyte's molar mass.
 *
 * <p>indriya's own symbols write the litre as "l" and know no enzyme unit, so one private format
 * adds what lab reports write (docs/decisions/0005): "L", "mL", "µL", "dL", "nL" for litres; "U"
 * (enzyme unit, 1 µmol/min), "mU" and "IU"; "mM", "µM", "nM" for mmol/L and so on. Both micro signs
 * (µ U+00B5 as typed, μ U+03BC as indriya writes it) and the ASCII "u" ("ug/mL", "umol/L") are read
 * as micro. Thread-safe.
 */
public final class LabUnits {
  /** The enzyme unit (U): the amount of enzyme that converts 1 µmol of substrate per minute. */
  public static final Unit<?> ENZYME_UNIT = MICRO(Units.MOLE).divide(Units.MINUTE);

  private static final Unit<?> MASS_PER_VOLUME = Units.GRAM.divide(Units.LITRE);
  private static final Unit<?> AMOUNT_PER_VOLUME = Units.MOLE.divide(Units.LITRE);
  private static final Unit<?> ACTIVITY_PER_VOLUME = Units.KATAL.divide(Units.LITRE);

  /**
   * An ASCII "u" standing for micro: at the start of a unit or after an operator, before a letter.
   */
  private static final Pattern ASCII_MICRO = Pattern.compile("(?<![A-Za-z])u(?=[A-Za-z])");

  /** An operator at either end, or two in a row. */
  private static final Pattern DANGLING_OPERATOR =
      Pattern.compile("^[/*·.^]|[/*·.^]$|[/*·.^]\\s*[/*·.^]");

  private static final SimpleUnitFormat FORMAT = labFormat();

  private LabUnits() {}

  private static SimpleUnitFormat labFormat() {
    SimpleUnitFormat f = SimpleUnitFormat.getNewInstance();
    f.alias(Units.LITRE, "L");
    f.alias(MILLI(Units.LITRE), "mL");
    f.alias(MICRO(Units.LITRE), "μL");
    f.alias(DECI(Units.LITRE), "dL");
    f.alias(NANO(Units.LITRE), "nL");
    f.label(ENZYME_UNIT, "U");
    f.alias(ENZYME_UNIT, "IU");
    f.label(MILLI(ENZYME_UNIT), "mU");
    f.label(KILO(ENZYME_UNIT), "kU");
    f.alias(MILLI(Units.MOLE).divide(Units.LITRE), "mM");
    f.alias(MICRO(Units.MOLE).divide(Units.LITRE), "μM");
    f.alias(NANO(Units.MOLE).divide(Units.LITRE), "nM");
    return f;
  }

  /**
   * The unit {@code text} stands for.
   *
   * @throws IllegalArgumentException naming the text and giving examples of units that parse
   */
  public static Unit<?> parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("is missing (examples: µg/mL, mg/dL, mmol/L, U/L, %)");
    }
    String normalized = normalize(text);
    Unit<?> unit;
    // indriya's parser reads "mg/" as mg: an operator without an operand is a typing error here
    if (DANGLING_OPERATOR.matcher(normalized).find()) {
      unit = null;
    } else {
      unit = parseFormat(normalized);
    }
    if (unit == null) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not a unit HepaLoop can read (examples: µg/mL, mg/dL, mmol/L, U/L, %)");
    }
    return unit;
  }

  private static Unit<?> parseFormat(String normalized) {
    try {
      synchronized (FORMAT) {
        return FORMAT.parse(normalized);
      }
    } catch (MeasurementParseException
        | IllegalArgumentException
        | UnsupportedOperationException e) {
      return null;
    }
  }

  /** Null when {@code text} parses, else why not (for configuration checks). */
  public static String problem(String text) {
    try {
      parse(text);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private static String normalize(String text) {
    String t = text.strip().replace('\u00B5', '\u03BC');
    return ASCII_MICRO.matcher(t).replaceAll("\u03BC");
  }

  /** True when both parse and measure the same kind of quantity (convertible without more data). */
  public static boolean isCompatible(String a, String b) {
    return parse(a).isCompatible(parse(b));
  }

  /**
   * {@code value} in {@code from} expressed in {@code to}.
   *
   * @throws IllegalArgumentException when a unit does not parse or the two are incompatible
   */
  public static double convert(double value, String from, String to) {
    Unit<?> f = parse(from);
    Unit<?> t = parse(to);
    if (!f.isCompatible(t)) {
      throw new IllegalArgumentException(
          "'" + from + "' (" + kind(f) + ") cannot be converted to '" + to + "' (" + kind(t) + ")");
    }
    return convert(value, f, t);
  }

  /**
   * {@code value} entered in {@code unit} as {@code analyte}'s canonical unit: directly when the
   * units are compatible, and between mass and amount of substance per volume (mg/dL and mmol/L)
   * through the analyte's molar mass.
   *
   * @throws IllegalArgumentException naming the analyte, the unit and what is expected: the unit
   *     does not parse, is of another kind, or needs a molar mass the analyte does not declare
   */
  public static double toCanonical(Analyte analyte, double value, String unit) {
    Unit<?> entered;
    try {
      entered = parse(unit);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "analyte " + analyte.id() + ": unit " + e.getMessage() + expected(analyte), e);
    }
    Unit<?> canonical = parse(analyte.unit());
    if (entered.isCompatible(canonical)) {
      return convert(value, entered, canonical);
    }
    boolean massToAmount = isMass(entered) && isAmount(canonical);
    boolean amountToMass = isAmount(entered) && isMass(canonical);
    if (massToAmount || amountToMass) {
      Double molarMass = analyte.molarMassGPerMol();
      if (molarMass == null) {
        throw new IllegalArgumentException(
            "analyte "
                + analyte.id()
                + ": unit '"
                + unit
                + "' is "
                + kind(entered)
                + " and "
                + analyte.unit()
                + " is "
                + kind(canonical)
                + "; converting between them needs the analyte's molar mass, and "
                + analyte.id()
                + " declares none (molarMassGPerMol)"
                + expected(analyte));
      }
      if (massToAmount) {
        double gPerL = convert(value, entered, MASS_PER_VOLUME);
        return convert(gPerL / molarMass, AMOUNT_PER_VOLUME, canonical);
      }
      double molPerL = convert(value, entered, AMOUNT_PER_VOLUME);
      return convert(molPerL * molarMass, MASS_PER_VOLUME, canonical);
    }
    throw new IllegalArgumentException(
        "analyte "
            + analyte.id()
            + ": unit '"
            + unit
            + "' is "
            + kind(entered)
            + ", not "
            + kind(canonical)
            + expected(analyte));
  }

  private static String expected(Analyte a) {
    String also =
        a.molarMassGPerMol() == null
            ? ""
            : isMass(parse(a.unit()))
                ? " or an amount of substance per volume (mmol/L)"
                : isAmount(parse(a.unit())) ? " or a mass per volume (mg/dL)" : "";
    return "; expected a unit like " + a.unit() + also;
  }

  private static double convert(double value, Unit<?> from, Unit<?> to) {
    try {
      return from.getConverterToAny(to).convert(value);
    } catch (IncommensurableException | UnconvertibleException e) {
      throw new IllegalArgumentException(
          "cannot convert " + from + " to " + to + ": " + e.getMessage(), e);
    }
  }

  private static boolean isMass(Unit<?> u) {
    return u.isCompatible(MASS_PER_VOLUME);
  }

  private static boolean isAmount(Unit<?> u) {
    return u.isCompatible(AMOUNT_PER_VOLUME);
  }

  /** What kind of quantity {@code u} measures, in words. */
  static String kind(Unit<?> u) {
    if (isMass(u)) {
      return "a mass per volume";
    }
    if (isAmount(u)) {
      return "an amount of substance per volume";
    }
    if (u.isCompatible(ACTIVITY_PER_VOLUME)) {
      return "a catalytic activity per volume";
    }
    if (u.isCompatible(AbstractUnit.ONE)) {
      return "a dimensionless ratio";
    }
    Dimension d = u.getDimension();
    return "a quantity of dimension " + d;
  }
}
