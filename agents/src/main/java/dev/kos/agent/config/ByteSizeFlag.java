package dev.kos.agent.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses sizes as people write them on a command line: {@code 1048576}, {@code 512k}, {@code 256m}, {@code 2g}. */
public final class ByteSizeFlag {
  private static final Pattern AMOUNT = Pattern.compile("(\\d+)\\s*([kmgt]?)i?b?", Pattern.CASE_INSENSITIVE);

  private ByteSizeFlag() {
  }

  /** Bytes; {@code k}, {@code m}, {@code g}, {@code t} are powers of 1024 ({@code KiB}, {@code MB} read the same). */
  public static long parse(String flag) {
    Matcher matcher = AMOUNT.matcher(flag == null ? "" : flag.trim());
    if (!matcher.matches()) {
      throw new IllegalArgumentException("invalid size '" + flag + "': expected bytes or a number and a unit, "
          + "e.g. 512m, 2g or 1048576");
    }
    int shift = switch (matcher.group(2).toLowerCase()) {
      case "k" -> 10;
      case "m" -> 20;
      case "g" -> 30;
      case "t" -> 40;
      default -> 0;
    };
    try {
      long amount = Long.parseLong(matcher.group(1));
      if (amount <= Long.MAX_VALUE >> shift) {
        return amount << shift;
      }
    } catch (NumberFormatException e) {
      // more digits than a long holds: too big, as below
    }
    throw new IllegalArgumentException("size '" + flag + "' is too big");
  }
}
