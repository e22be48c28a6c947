package io.hepaloop.sim.model;

import io.hepaloop.core.Quality;

/** What a sensor reports: a value in engineering units and its quality (Good / Uncertain / Bad). */
public record SensorReading(double value, Quality quality) {}
