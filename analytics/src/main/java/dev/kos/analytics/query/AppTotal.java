package dev.kos.analytics.query;

/** An app and its total of the ranked metric. */
public record AppTotal(String app, long value) {}
