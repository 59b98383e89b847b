package dev.kos.analytics.job;

/** UTF-8 lengths without encoding the string (the job counts the bytes of every log line). */
final class Utf8 {

  private Utf8() {}

  /** What {@code s.getBytes(UTF_8).length} returns, an unpaired surrogate counting as its '?'. */
  static int length(String s) {
    int bytes = 0;
    int length = s.length();
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        bytes += 1;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
