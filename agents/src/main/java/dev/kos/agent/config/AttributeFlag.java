package dev.kos.agent.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parses {@code --attributes 'rack:r1,zone:a'} into an ordered, unmodifiable map. */
public final class AttributeFlag {
  private AttributeFlag() {
  }

  public static Map<String, String> parse(String flag) {
    Map<String, String> attributes = new LinkedHashMap<>();
    if (flag == null) {
      return Map.of();
    }
    for (String part : flag.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      int colon = part.indexOf(':');
      String name = colon < 0 ? "" : part.substring(0, colon).trim();
      String value = colon < 0 ? "" : part.substring(colon + 1).trim();
      if (name.isEmpty() || value.isEmpty()) {
        throw new IllegalArgumentException("invalid --attributes entry '" + part
            + "': expected name:value with both parts non-empty");
      }
      if (attributes.put(name, value) != null) {
        throw new IllegalArgumentException("invalid --attributes entry '" + part
            + "': attribute '" + name + "' is given twice");
      }
    }
    return Collections.unmodifiableMap(attributes);
  }
}
