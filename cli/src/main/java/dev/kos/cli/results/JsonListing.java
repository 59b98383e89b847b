package dev.kos.cli.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kos.bus.json.AvroToJson;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.generic.IndexedRecord;

/** {@code --json} of the listings: one document, the records as the JSON that `kos publish` reads back. */
public final class JsonListing {

  static final ObjectMapper JSON = new ObjectMapper();

  private JsonListing() {
  }

  public static void printArray(PrintWriter out, Collection<? extends IndexedRecord> records) {
    ArrayNode array = JSON.createArrayNode();
    records.forEach(record -> array.add(AvroToJson.toJson(record)));
    print(out, array);
  }

  public static void printOne(PrintWriter out, IndexedRecord record) {
    print(out, AvroToJson.toJson(record));
  }

  /** One JSON object whose fields are records (null where there is none), in the map's order. */
  public static void printFields(PrintWriter out, Map<String, ? extends IndexedRecord> fields) {
    print(out, fields(fields));
  }

  /** The object {@link #printFields} prints, for a listing that adds fields of its own. */
  public static JsonNode fields(Map<String, ? extends IndexedRecord> fields) {
    ObjectNode object = JSON.createObjectNode();
    fields.forEach((name, record) -> object.set(name, record == null ? NullNode.getInstance()
        : AvroToJson.toJson(record)));
    return object;
  }

  /** Any JSON document, pretty-printed as the listings are. */
  public static void print(PrintWriter out, JsonNode document) {
    try {
      out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    out.flush();
  }
}
