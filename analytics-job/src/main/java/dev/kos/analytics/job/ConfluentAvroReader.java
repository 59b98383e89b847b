package dev.kos.analytics.job;

import java.io.IOException;
import java.util.Optional;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Decodes record values in the Confluent wire format (magic byte 0, a 4-byte schema id, Avro
 * binary) with the generated class's own schema as the writer schema: the job runs without a
 * schema registry, so a value written with another version of the schema does not decode.
 * Not thread-safe (it reuses its decoder): one per Spark partition.
 */
final class ConfluentAvroReader<T extends SpecificRecord> {

  private static final byte MAGIC = 0;
  private static final int HEADER_BYTES = 5;

  private final SpecificDatumReader<T> reader;
  private BinaryDecoder decoder;

  ConfluentAvroReader(Class<T> type) {
    this.reader = new SpecificDatumReader<>(type);
  }

  /** The decoded value; empty when the bytes are not one whole value of {@code T}. */
  Optional<T> read(byte[] value) {
    if (value == null || value.length < HEADER_BYTES || value[0] != MAGIC) {
      return Optional.empty();
    }
    decoder = DecoderFactory.get().binaryDecoder(value, HEADER_BYTES, value.length - HEADER_BYTES, decoder);
    try {
      T record = reader.read(null, decoder);
      return decoder.isEnd() ? Optional.of(record) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      // Garbage shows up as any of Avro's exceptions (EOF, negative length, bad union index, ...).
      return Optional.empty();
    }
  }
}
