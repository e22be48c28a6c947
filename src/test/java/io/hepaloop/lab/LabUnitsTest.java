package io.hepaloop.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Units of lab results: what lab reports write parses (both micro signs, ASCII "u", "L", "dL", "U",
 * "mM"), compatible units convert by their factors, mass and amount concentrations convert through
 * the analyte's molar mass only, and anything else is refused naming analyte, unit and what is
 * expected.
 */
class LabUnitsTest {
  private static final LabAnalytes ANALYTES = LabAnalytes.defaults();

  private static Analyte analyte(String id) {
    return ANALYTES.find(id).orElseThrow();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "µg/mL", "μg/mL", "ug/mL", "mg/dL", "mg/L", "g/L", "mmol/L", "umol/L", "mM", "µM", "U/L",
        "IU/L", "mU/mL", "%", " mg/dL "
      })
  void unitsOfLabReportsParse(String text) {
    assertThat(LabUnits.problem(text)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "furlong", "mg/", "µg/mL/", "cells"})
  void textThatIsNoUnitIsRefusedWithExamples(String text) {
    assertThatThrownBy(() -> LabUnits.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("µg/mL");
  }

  @Test
  void compatibleUnitsConvertByTheirFactors() {
    assertThat(LabUnits.convert(1.0, "mg/dL", "mg/L")).isCloseTo(10.0, within(1e-12));
    assertThat(LabUnits.convert(25.0, "µg/mL", "mg/L")).isCloseTo(25.0, within(1e-12));
    assertThat(LabUnits.convert(25.0, "ug/mL", "µg/mL")).isCloseTo(25.0, within(1e-12));
    assertThat(LabUnits.convert(2.0, "mM", "mmol/L")).isCloseTo(2.0, within(1e-12));
    assertThat(LabUnits.convert(1500.0, "µmol/L", "mmol/L")).isCloseTo(1.5, within(1e-12));
    assertThat(LabUnits.convert(0.12, "U/mL", "U/L")).isCloseTo(120.0, within(1e-9));
    // 1 U = 1 µmol/min = 1/60 µkat
    assertThat(LabUnits.convert(60.0, "U/L", "µkat/L")).isCloseTo(1.0, within(1e-12));
    assertThat(LabUnits.isCompatible("IU/L", "U/L")).isTrue();
    assertThat(LabUnits.isCompatible("mg/dL", "mmol/L")).isFalse();
    assertThat(LabUnits.isCompatible("%", "mg/dL")).isFalse();
  }

  @Test
  void incompatibleUnitsAreRefusedNamingBoth() {
    assertThatThrownBy(() -> LabUnits.convert(1.0, "%", "mg/dL"))
        .hasMessageContaining("'%'")
        .hasMessageContaining("'mg/dL'")
        .hasMessageContaining("a mass per volume");
  }

  @Test
  void anEntryInTheCanonicalUnitIsKeptAsItIs() {
    assertThat(LabUnits.toCanonical(analyte("albumin"), 31.5, "µg/mL")).isEqualTo(31.5);
    assertThat(LabUnits.toCanonical(analyte("albumin"), 31.5, "mg/L"))
        .isCloseTo(31.5, within(1e-12));
    assertThat(LabUnits.toCanonical(analyte("viability"), 92.0, "%")).isEqualTo(92.0);
    assertThat(LabUnits.toCanonical(analyte("ldh"), 0.05, "U/mL")).isCloseTo(50.0, within(1e-9));
  }

  @Test
  void massAndAmountConvertThroughTheMolarMass() {
    // glucose 90.08 mg/dL = 900.8 mg/L = 0.9008 g/L / 180.16 g/mol = 5 mmol/L
    assertThat(LabUnits.toCanonical(analyte("glucose"), 90.08, "mg/dL"))
        .isCloseTo(5.0, within(1e-9));
    // lactate 18.016 mg/dL / 90.08 g/mol = 2 mmol/L
    assertThat(LabUnits.toCanonical(analyte("lactate"), 18.016, "mg/dL"))
        .isCloseTo(2.0, within(1e-9));
    // urea 30.03 mg/dL / 60.06 g/mol = 5 mmol/L
    assertThat(LabUnits.toCanonical(analyte("urea"), 30.03, "mg/dL")).isCloseTo(5.0, within(1e-9));
    // and back: an analyte canonical in mass, entered as amount
    Analyte glucoseByMass = new Analyte("glucose_mass", "Glucose", "mg/dL", 180.16);
    assertThat(LabUnits.toCanonical(glucoseByMass, 5.0, "mmol/L")).isCloseTo(90.08, within(1e-9));
  }

  @Test
  void amountWithoutAMolarMassIsRefusedSayingWhatIsMissing() {
    assertThatThrownBy(() -> LabUnits.toCanonical(analyte("albumin"), 0.5, "mmol/L"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("analyte albumin")
        .hasMessageContaining("'mmol/L'")
        .hasMessageContaining("molar mass")
        .hasMessageContaining("expected a unit like µg/mL");
  }

  @Test
  void anotherKindOfQuantityIsRefusedNamingAnalyteUnitAndExpectation() {
    assertThatThrownBy(() -> LabUnits.toCanonical(analyte("viability"), 90, "mg/dL"))
        .hasMessageContaining("analyte viability")
        .hasMessageContaining("'mg/dL' is a mass per volume, not a dimensionless ratio")
        .hasMessageContaining("expected a unit like %");
    assertThatThrownBy(() -> LabUnits.toCanonical(analyte("ldh"), 90, "mmol/L"))
        .hasMessageContaining("analyte ldh")
        .hasMessageContaining("a catalytic activity per volume");
    assertThatThrownBy(() -> LabUnits.toCanonical(analyte("glucose"), 90, "furlong"))
        .hasMessageContaining("analyte glucose: unit 'furlong' is not a unit")
        .hasMessageContaining("expected a unit like mmol/L or a mass per volume (mg/dL)");
  }

  @Test
  void anAnalyteWithAnUnreadableUnitCannotBeMade() {
    assertThatThrownBy(() -> Analyte.of("x", "X", "mg/dLL"))
        .hasMessageContaining("analyte x: unit 'mg/dLL' is not a unit");
  }
}
