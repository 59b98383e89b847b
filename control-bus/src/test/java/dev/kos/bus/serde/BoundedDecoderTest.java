package dev.kos.bus.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BoundedDecoderTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "{\"type\":\"array\",\"items\":\"string\"}                                  | false",
      "{\"type\":\"array\",\"items\":\"null\"}                                    | true",
      "{\"type\":\"array\",\"items\":[\"null\",\"string\"]}                       | false",
      "{\"type\":\"array\",\"items\":{\"type\":\"fixed\",\"name\":\"F\",\"size\":0}} | true",
      "{\"type\":\"array\",\"items\":{\"type\":\"record\",\"name\":\"E\",\"fields\":[]}} | true",
      "{\"type\":\"map\",\"values\":\"null\"}                                     | false",
      "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":{\"type\":\"array\",\"items\":\"null\"}}]} | true",
      "{\"type\":\"record\",\"name\":\"N\",\"fields\":[{\"name\":\"next\",\"type\":[\"null\",\"N\"]}]} | false",
  })
  void shouldKnowWhichArraysMayHoldMoreItemsThanBytes(String schema, boolean zeroWidth) {
    assertThat(BoundedDecoder.hasZeroWidthArrayItems(new Schema.Parser().parse(schema))).isEqualTo(zeroWidth);
  }

  @Test
  void shouldDecodeAnArrayOfNullsLongerThanItsBytes() throws IOException {
    Schema nulls = new Schema.Parser().parse("{\"type\":\"array\",\"items\":\"null\"}");
    byte[] bytes = encode(encoder -> {
      encoder.writeArrayStart();
      encoder.setItemCount(1000);
      for (int i = 0; i < 1000; i++) {
        encoder.startItem();
        encoder.writeNull();
      }
      encoder.writeArrayEnd();
    });

    List<?> read = (List<?>) new GenericDatumReader<>(nulls).read(null,
        BoundedDecoder.over(bytes, 0, bytes.length, BoundedDecoder.hasZeroWidthArrayItems(nulls)));

    assertThat(read).hasSize(1000).containsOnlyNulls();
  }

  @Test
  void shouldBoundAnArrayOfNullsAtTheEmptyItemLimit() throws IOException {
    Schema nulls = new Schema.Parser().parse("{\"type\":\"array\",\"items\":\"null\"}");
    byte[] bytes = encode(encoder -> encoder.writeLong(BoundedDecoder.MAX_EMPTY_ITEMS + 1));

    assertThatThrownBy(() -> new GenericDatumReader<>(nulls).read(null, BoundedDecoder.over(bytes, 0, bytes.length, true)))
        .isInstanceOf(BoundedDecoder.LimitExceededException.class)
        .hasMessage("array block of " + (BoundedDecoder.MAX_EMPTY_ITEMS + 1) + " items but only "
            + BoundedDecoder.MAX_EMPTY_ITEMS + " bytes are left");
  }

  @Test
  void shouldReadStringsAndBytesWithinTheirRecord() throws IOException {
    Schema schema = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"S\",\"fields\":["
        + "{\"name\":\"s\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"bytes\"},"
        + "{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":\"string\"}}]}");
    byte[] bytes = encode(encoder -> {
      encoder.writeString("héllo");
      encoder.writeBytes(new byte[] {1, 2, 3});
      encoder.writeMapStart();
      encoder.setItemCount(1);
      encoder.startItem();
      encoder.writeString("k");
      encoder.writeString("v");
      encoder.writeMapEnd();
    });

    Object read = new GenericDatumReader<>(schema).read(null, BoundedDecoder.over(bytes, 0, bytes.length, false));

    assertThat(read.toString()).isEqualTo("{\"s\": \"héllo\", \"b\": \"\\u0001\\u0002\\u0003\", \"m\": {\"k\": \"v\"}}");
  }

  @FunctionalInterface
  private interface Body {
    void write(BinaryEncoder encoder) throws IOException;
  }

  private static byte[] encode(Body body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    body.write(encoder);
    encoder.flush();
    return out.toByteArray();
  }
}
