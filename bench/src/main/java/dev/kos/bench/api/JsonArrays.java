package dev.kos.bench.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/** Counts the elements of a JSON array body without building a tree: the check that each timed response was whole. */
final class JsonArrays {
  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonArrays() {
  }

  /** The number of elements of the top-level array; -1 when the body is not a JSON array (an error object, say). */
  static int count(String body) {
    try (JsonParser parser = FACTORY.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        return -1;
      }
      int count = 0;
      for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
        if (token == null) {
          return -1;
        }
        count++;
        parser.skipChildren();
      }
      return parser.nextToken() == null ? count : -1;
    } catch (IOException e) {
      return -1;
    }
  }
}
