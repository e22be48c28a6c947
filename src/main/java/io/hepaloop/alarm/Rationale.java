package io.hepaloop.alarm;

/**
 * Why an alarm exists, as ISA-18.2's master alarm database records it; shown with every alarm so
 * the operator knows what to do and how fast.
 *
 * @param cause what makes the condition happen
 * @param consequence what happens if nobody acts
 * @param correctiveAction what the operator should do
 * @param maxResponseTimeS how long the operator has before the consequence, seconds
 */
public record Rationale(
    String cause, String consequence, String correctiveAction, double maxResponseTimeS) {}
