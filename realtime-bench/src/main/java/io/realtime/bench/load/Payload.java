package io.realtime.bench.load;

/**
 * The payload the publisher sends and the receivers read back:
 * {@code {"t":<nanoTime at send>,"g":<group>,"seq":<group sequence>,"pad":"xx…"}}, padded to a
 * requested size. Reading scans the delivered frame's text for the three keys instead of
 * parsing it, so the generator spends little CPU per delivery; the keys cannot occur elsewhere
 * in a frame ({@code type}, {@code id}, {@code topic}, {@code ts} are longer, and no value
 * holds a quote followed by them).
 */
final class Payload {
  private final String pad;

  /** @param bytes target size of the payload object; small values give the unpadded minimum */
  Payload(int bytes) {
    int base = "{\"t\":1234567890123456,\"g\":1234,\"seq\":123456,\"pad\":\"\"}".length();
    this.pad = "x".repeat(Math.max(0, bytes - base));
  }

  String json(long sentNanos, int group, int seq) {
    return new StringBuilder(48 + pad.length()).append("{\"t\":").append(sentNanos)
        .append(",\"g\":").append(group).append(",\"seq\":").append(seq)
        .append(",\"pad\":\"").append(pad).append("\"}").toString();
  }

  /** The three numbers of a delivered frame; {@code ok} is false when one is missing. */
  record Read(boolean ok, long sentNanos, int group, int seq) {
    static final Read NONE = new Read(false, 0, 0, 0);
  }

  static Read read(String frame) {
    int payload = frame.indexOf("\"payload\":");
    int from = payload < 0 ? 0 : payload;
    long t = number(frame, "\"t\":", from);
    long g = number(frame, "\"g\":", from);
    long seq = number(frame, "\"seq\":", from);
    if (t == Long.MIN_VALUE || g < 0 || seq < 0 || g > Integer.MAX_VALUE
        || seq > Integer.MAX_VALUE) {
      return Read.NONE;
    }
    return new Read(true, t, (int) g, (int) seq);
  }

  /** The integer after {@code key} (optionally negative), or {@link Long#MIN_VALUE}. */
  static long number(String text, String key, int from) {
    int at = text.indexOf(key, from);
    if (at < 0) {
      return Long.MIN_VALUE;
    }
    int i = at + key.length();
    int end = Math.min(text.length(), i + 20); // a long has at most 19 digits and a sign
    boolean negative = i < end && text.charAt(i) == '-';
    if (negative) {
      i++;
    }
    long value = 0;
    int digits = 0;
    for (; i < end; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        break;
      }
      value = value * 10 + (c - '0');
      digits++;
    }
    if (digits == 0) {
      return Long.MIN_VALUE;
    }
    return negative ? -value : value;
  }
}
