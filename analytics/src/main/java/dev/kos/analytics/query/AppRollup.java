package dev.kos.analytics.query;

import java.time.Instant;

/** The counts of an app over one bucket (a minute or an hour) that starts at {@code start}. */
public record AppRollup(Instant start, AppCounts counts) {}
