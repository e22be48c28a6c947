package io.hepaloop.telemetry;

import io.hepaloop.core.Quality;

/**
 * Oxygen uptake rate of the construct from the steady-state oxygen balance (DOMAIN.md): {@code OUR
 * = Q · α · (pO2_in − pO2_out)}. With Q in mL/min, α in nmol/(mL·mmHg) and pO2 in mmHg the result
 * is in nmol/min. Pure function, no state: the trend (a falling OUR) is the construct's vital sign,
 * so the arithmetic must be beyond doubt.
 */
public final class OxygenUptake {
  private OxygenUptake() {}

  /**
   * @param ourNmolPerMin oxygen uptake rate of the whole construct
   * @param ourPerMillionCellsNmolPerMin the same per 10⁶ cells seeded; NaN when the cell count is
   *     unknown
   * @param quality the worst quality of the inputs; {@link Quality#BAD} when any input is bad or
   *     missing
   */
  public record Result(
      double ourNmolPerMin, double ourPerMillionCellsNmolPerMin, Quality quality) {}

  public static double ourNmolPerMin(
      double flowMlPerMin, double alphaNmolPerMlMmHg, double pO2InMmHg, double pO2OutMmHg) {
    return flowMlPerMin * alphaNmolPerMlMmHg * (pO2InMmHg - pO2OutMmHg);
  }

  /**
   * @param cellsSeeded number of cells in the construct, or NaN/≤0 when unknown
   */
  public static Result compute(
      double flowMlPerMin,
      Quality flowQuality,
      double pO2InMmHg,
      Quality inQuality,
      double pO2OutMmHg,
      Quality outQuality,
      double alphaNmolPerMlMmHg,
      double cellsSeeded) {
    Quality q = flowQuality.worst(inQuality).worst(outQuality);
    if (!Double.isFinite(flowMlPerMin)
        || !Double.isFinite(pO2InMmHg)
        || !Double.isFinite(pO2OutMmHg)
        || !Double.isFinite(alphaNmolPerMlMmHg)
        || alphaNmolPerMlMmHg <= 0) {
      return new Result(Double.NaN, Double.NaN, Quality.BAD);
    }
    double our = ourNmolPerMin(flowMlPerMin, alphaNmolPerMlMmHg, pO2InMmHg, pO2OutMmHg);
    double perMillion =
        Double.isFinite(cellsSeeded) && cellsSeeded > 0 ? our / (cellsSeeded / 1e6) : Double.NaN;
    return new Result(our, perMillion, q);
  }
}
