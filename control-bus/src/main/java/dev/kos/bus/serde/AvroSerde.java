package dev.kos.bus.serde;

import dev.kos.bus.registry.SchemaRegistryClient;
import dev.kos.bus.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka serde for one generated Avro class over a schema registry, in the Confluent wire
 * format. The writer registers its schema under {@code <topic>-value} once per topic; the
 * reader resolves each record's writer schema by id against the class's schema, so old
 * records keep decoding after a compatible change.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

  private final Class<T> type;
  private final Schema readerSchema;
  private final SchemaRegistryClient registry;
  private final Map<String, Integer> idsByTopic = new ConcurrentHashMap<>();
  private final Map<Integer, WriterSchema<T>> readersById = new ConcurrentHashMap<>();
  private final SpecificDatumWriter<T> writer;

  public AvroSerde(Class<T> type, SchemaRegistryClient registry) {
    this.type = type;
    this.readerSchema = SpecificData.get().getSchema(type);
    this.registry = registry;
    this.writer = new SpecificDatumWriter<>(readerSchema);
  }

  public static String valueSubject(String topic) {
    return topic + "-value";
  }

  public byte[] serialize(String topic, T record) {
    if (record == null) {
      return null;
    }
    int id = idsByTopic.computeIfAbsent(topic, t -> registry.register(valueSubject(t), readerSchema));
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    out.writeBytes(WireFormat.header(id));
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      writer.write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (AvroRuntimeException | NullPointerException | ClassCastException e) {
      throw new MalformedRecordException("cannot encode " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    int id = WireFormat.schemaId(data);
    WriterSchema<T> writerSchema;
    try {
      writerSchema = readersById.computeIfAbsent(id, i -> WriterSchema.of(registry.schemaById(i), readerSchema));
    } catch (SchemaRegistryException.NotFound e) {
      // An unknown id means the bytes were not written through this registry; a registry
      // that cannot be reached is an outage instead, and propagates so nothing is dead-lettered.
      throw new MalformedRecordException("schema id " + id + " is not in the registry: " + e.getMessage(), e);
    }
    BoundedDecoder decoder = BoundedDecoder.over(data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE,
        writerSchema.zeroWidthArrayItems());
    T record;
    boolean complete;
    try {
      record = writerSchema.reader().read(null, decoder);
      complete = decoder.isEnd();
    } catch (BoundedDecoder.LimitExceededException e) {
      throw new MalformedRecordException("bytes do not decode as " + type.getSimpleName() + " (schema id " + id
          + "): " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      // Any failure to decode is the record's fault: Avro signals bad data with IOExceptions, its own
      // AvroRuntimeException (SystemLimitException among them), and plain runtime exceptions
      // (UnsupportedOperationException for a count past its limit, IllegalArgumentException from a
      // logical type, IndexOutOfBounds for a bad union index...). Errors are not caught: the decoder's
      // bounds keep allocations proportional to the record, so an Error here is not the record's.
      throw new MalformedRecordException("bytes do not decode as " + type.getSimpleName()
          + " (schema id " + id + "): " + e, e);
    }
    if (!complete) {
      throw new MalformedRecordException("record of schema id " + id + " has "
          + "trailing bytes after a complete " + type.getSimpleName());
    }
    return record;
  }

  /** How records written with one schema are read: the resolving reader, and what the decoder may bound. */
  private record WriterSchema<T>(SpecificDatumReader<T> reader, boolean zeroWidthArrayItems) {
    static <T> WriterSchema<T> of(Schema writer, Schema reader) {
      return new WriterSchema<>(new SpecificDatumReader<>(writer, reader), BoundedDecoder.hasZeroWidthArrayItems(writer));
    }
  }

  @Override
  public Serializer<T> serializer() {
    return this::serialize;
  }

  @Override
  public Deserializer<T> deserializer() {
    return this::deserialize;
  }
}
