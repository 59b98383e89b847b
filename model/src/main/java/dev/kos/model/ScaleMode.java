package dev.kos.model;

/** AUTOMATIC: the decision is also carried out as a scale command; ADVISORY: it is only announced. */
public enum ScaleMode {
  ADVISORY,
  AUTOMATIC
}
