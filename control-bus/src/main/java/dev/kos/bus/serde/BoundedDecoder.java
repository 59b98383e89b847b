package dev.kos.bus.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * An Avro binary decoder over one record's bytes that refuses any count or length the bytes left
 * cannot hold. Avro allocates an array, map, string or bytes value at the size its header announces
 * before reading a single item, so five bytes announcing two billion items are an OutOfMemoryError.
 * Every array item and map entry takes at least one byte, and every string or bytes value as many
 * bytes as its length, so a count or length above the bytes left is malformed, and checking it
 * keeps what a record can make us allocate proportional to its size.
 *
 * <p>Avro's own {@code org.apache.avro.limits.*} system properties are read once, when
 * {@code SystemLimitException} is loaded, so whoever loads Avro first fixes them for the JVM; and
 * a fixed limit is either too small for some record or too large for the heap. This bound is
 * neither.
 *
 * <p>The one exception is an array whose items encode to nothing (nulls, records without fields):
 * its count may legally exceed the bytes, and is held to {@link #MAX_EMPTY_ITEMS} instead.
 */
final class BoundedDecoder extends Decoder {

  /** The most items of a zero-width type one array block may announce. */
  static final long MAX_EMPTY_ITEMS = 1 << 20;

  private final BinaryDecoder in;
  private final boolean zeroWidthItems;

  private BoundedDecoder(BinaryDecoder in, boolean zeroWidthItems) {
    this.in = in;
    this.zeroWidthItems = zeroWidthItems;
  }

  /**
   * A decoder of {@code length} bytes of {@code data} from {@code offset}; {@code zeroWidthItems} as
   * {@link #hasZeroWidthArrayItems} says of the writer's schema.
   */
  static BoundedDecoder over(byte[] data, int offset, int length, boolean zeroWidthItems) {
    return new BoundedDecoder(DecoderFactory.get().binaryDecoder(data, offset, length, null), zeroWidthItems);
  }

  boolean isEnd() throws IOException {
    return in.isEnd();
  }

  /** Thrown for a count or length the bytes left cannot hold; its message is the reason. */
  static final class LimitExceededException extends IOException {
    LimitExceededException(String message) {
      super(message);
    }
  }

  private long remaining() throws IOException {
    return in.inputStream().available();
  }

  private long arrayItems(long count) throws IOException {
    long bound = zeroWidthItems ? Math.max(remaining(), MAX_EMPTY_ITEMS) : remaining();
    return checked("array block", count, "items", bound);
  }

  private long mapEntries(long count) throws IOException {
    // Every entry starts with its key, a string of at least its length byte.
    return checked("map block", count, "items", remaining());
  }

  private int length(String what) throws IOException {
    return (int) checked(what, in.readLong(), "bytes", remaining());
  }

  private static long checked(String what, long count, String unit, long bound) throws LimitExceededException {
    if (count < 0) {
      throw new LimitExceededException(what + " of negative size " + count);
    }
    if (count > bound) {
      throw new LimitExceededException(what + " of " + count + " " + unit + " but only " + bound + " bytes are left");
    }
    return count;
  }

  @Override
  public Utf8 readString(Utf8 old) throws IOException {
    int length = length("string");
    Utf8 result = old != null ? old : new Utf8();
    result.setByteLength(length);
    in.readFixed(result.getBytes(), 0, length);
    return result;
  }

  @Override
  public String readString() throws IOException {
    return readString(null).toString();
  }

  @Override
  public void skipString() throws IOException {
    in.skipFixed(length("string"));
  }

  @Override
  public ByteBuffer readBytes(ByteBuffer old) throws IOException {
    int length = length("bytes");
    ByteBuffer result = old != null && old.hasArray() && length <= old.capacity() ? old.clear() : ByteBuffer.allocate(length);
    in.readFixed(result.array(), result.arrayOffset() + result.position(), length);
    result.limit(length);
    return result;
  }

  @Override
  public void skipBytes() throws IOException {
    in.skipFixed(length("bytes"));
  }

  @Override
  public long readArrayStart() throws IOException {
    return arrayItems(in.readArrayStart());
  }

  @Override
  public long arrayNext() throws IOException {
    return arrayItems(in.arrayNext());
  }

  @Override
  public long skipArray() throws IOException {
    return arrayItems(in.skipArray());
  }

  @Override
  public long readMapStart() throws IOException {
    return mapEntries(in.readMapStart());
  }

  @Override
  public long mapNext() throws IOException {
    return mapEntries(in.mapNext());
  }

  @Override
  public long skipMap() throws IOException {
    return mapEntries(in.skipMap());
  }

  @Override
  public void readNull() throws IOException {
    in.readNull();
  }

  @Override
  public boolean readBoolean() throws IOException {
    return in.readBoolean();
  }

  @Override
  public int readInt() throws IOException {
    return in.readInt();
  }

  @Override
  public long readLong() throws IOException {
    return in.readLong();
  }

  @Override
  public float readFloat() throws IOException {
    return in.readFloat();
  }

  @Override
  public double readDouble() throws IOException {
    return in.readDouble();
  }

  @Override
  public void readFixed(byte[] bytes, int start, int length) throws IOException {
    in.readFixed(bytes, start, length);
  }

  @Override
  public void skipFixed(int length) throws IOException {
    in.skipFixed(length);
  }

  @Override
  public int readEnum() throws IOException {
    return in.readEnum();
  }

  @Override
  public int readIndex() throws IOException {
    return in.readIndex();
  }

  /** True when some array of the schema has items that may encode to no bytes at all. */
  static boolean hasZeroWidthArrayItems(Schema schema) {
    return hasZeroWidthArrayItems(schema, new HashSet<>());
  }

  private static boolean hasZeroWidthArrayItems(Schema schema, Set<String> seen) {
    switch (schema.getType()) {
      case RECORD:
        if (!seen.add(schema.getFullName())) {
          return false;
        }
        return schema.getFields().stream().anyMatch(f -> hasZeroWidthArrayItems(f.schema(), seen));
      case ARRAY:
        return mayBeEmpty(schema.getElementType(), new HashSet<>())
            || hasZeroWidthArrayItems(schema.getElementType(), seen);
      case MAP:
        return hasZeroWidthArrayItems(schema.getValueType(), seen);
      case UNION:
        return schema.getTypes().stream().anyMatch(t -> hasZeroWidthArrayItems(t, seen));
      default:
        return false;
    }
  }

  /** Whether a value of the schema may encode to zero bytes: null, empty fixed, records of such fields. */
  private static boolean mayBeEmpty(Schema schema, Set<String> inProgress) {
    switch (schema.getType()) {
      case NULL:
        return true;
      case FIXED:
        return schema.getFixedSize() == 0;
      case RECORD:
        // A record met again while deciding lies on a path of its own fields; say it may be empty (the safe side).
        if (!inProgress.add(schema.getFullName())) {
          return true;
        }
        boolean empty = schema.getFields().stream().allMatch(f -> mayBeEmpty(f.schema(), inProgress));
        inProgress.remove(schema.getFullName());
        return empty;
      default:
        // Numbers, booleans, enums, strings, bytes, arrays, maps and unions take at least one byte.
        return false;
    }
  }
}
