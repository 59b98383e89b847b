package dev.kos.bus.json;

import org.apache.avro.Schema;

/** Small ad-hoc schemas, so that each rule can be tested on one field named {@code v}. */
final class TestSchemas {

  private TestSchemas() {
  }

  /** A record {@code test.T} with one field {@code v} of the given type (Avro JSON). */
  static Schema oneField(String fieldTypeJson) {
    return new Schema.Parser().parse("""
        {"type": "record", "name": "T", "namespace": "test",
         "fields": [{"name": "v", "type": %s}]}
        """.formatted(fieldTypeJson));
  }

  /** The JSON document {@code {"v": <valueJson>}}. */
  static String oneValue(String valueJson) {
    return "{\"v\": " + valueJson + "}";
  }
}
