package dev.kos.analytics.job;

import java.io.Serializable;

/** The key of an {@code app_minute} row within one batch: an app and the start of a UTC minute. */
record AppMinute(String app, long minuteMillis) implements Serializable {
}
