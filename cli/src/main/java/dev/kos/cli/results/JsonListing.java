package dev.kos.cli.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.kos.bus.json.AvroToJson;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Collection;
import org.apache.avro.generic.IndexedRecord;

/** {@code --json} of the listings: one document, the records as the JSON that `kos publish` reads back. */
public final class JsonListing {

  private static final ObjectMapper JSON = new ObjectMapper();

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

  private static void print(PrintWriter out, JsonNode document) {
    try {
      out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    out.flush();
  }
}
