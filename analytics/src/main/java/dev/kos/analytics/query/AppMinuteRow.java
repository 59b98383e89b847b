package dev.kos.analytics.query;

import java.time.Instant;

/** One partial row of {@code app_minute}, as read: what micro-batch {@code batchId} counted for a minute. */
public record AppMinuteRow(String app, Instant minute, long batchId, AppCounts counts) {}
