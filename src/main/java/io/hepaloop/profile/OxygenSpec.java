package io.hepaloop.profile;

/** Oxygen constants of the medium: solubility alpha in nmol/(mL·mmHg) (≈1.2–1.3 at 37 °C). */
public record OxygenSpec(double solubilityNmolPerMlMmHg) {}
