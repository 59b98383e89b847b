package dev.kos.bus.serde;

import java.nio.ByteBuffer;

/**
 * The Confluent wire format: magic byte 0, the schema id as a 4-byte big-endian int, then
 * the Avro binary encoding. Using it means any Confluent-compatible consumer reads kos topics.
 */
public final class WireFormat {

  public static final byte MAGIC = 0;
  public static final int HEADER_SIZE = 5;

  private WireFormat() {
  }

  public static byte[] header(int schemaId) {
    return ByteBuffer.allocate(HEADER_SIZE).put(MAGIC).putInt(schemaId).array();
  }

  /** The schema id in a framed record, or a clear error when the bytes are not framed. */
  public static int schemaId(byte[] data) {
    if (data.length < HEADER_SIZE) {
      throw new MalformedRecordException("record is " + data.length
          + " bytes, shorter than the 5-byte Confluent header (magic byte + schema id)");
    }
    if (data[0] != MAGIC) {
      throw new MalformedRecordException(String.format(
          "record starts with byte 0x%02x, not the Confluent magic byte 0x00: not written by an Avro serializer with a schema registry",
          data[0]));
    }
    return ByteBuffer.wrap(data, 1, 4).getInt();
  }
}
