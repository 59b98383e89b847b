package dev.kos.analytics.query;

import java.time.Instant;

/**
 * One row of {@code app_hour}: the sum of the app's {@code app_minute} rows of the hour that starts at {@code hour},
 * holding every micro-batch up to and including {@code lastBatchId}.
 */
public record AppHourRow(String app, Instant hour, long lastBatchId, AppCounts counts) {}
