package io.realtime.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link TopicPattern} against a reference that reads PROTOCOL.md section 2 character by
 * character: {@code {sub}} stands for the user's id, literally; one {@code *}, only at the end,
 * matches any suffix (including none); everything else must equal the topic exactly. Patterns,
 * user ids and names come from a small alphabet with {@code : * { } {sub}} so that near misses
 * are common.
 */
class TopicPatternPropertyTest {
  private static final int CASES = 100;
  private static final List<String> PATTERN_TOKENS =
      List.of("a", "b", ":", "*", "{sub}", "{sub}", "{", "}", "ab:");
  /** Includes ids with characters that mean something in a pattern ({@code *}, {@code {sub}}). */
  private static final List<String> USERS = List.of("a", "b", "ab", "a:b", "a*", "{sub}");
  private static final List<String> NAME_SUFFIXES = List.of("", "", "a", ":", "b:a");
  private static final String NAME_CHARS = "ab:";

  static LongStream seeds() {
    return PropertySchedule.seeds(200);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void matchesAsTheProtocolReads(long seed) {
    PropertySchedule s = new PropertySchedule(seed);
    for (int i = 0; i < CASES; i++) {
      String pattern = randomPattern(s);
      String user = s.pick(USERS);
      String name = randomName(s, pattern, user);
      String where = "case " + (i + 1) + ": pattern '" + pattern + "', user '" + user
          + "', topic '" + name + "'";

      boolean valid = referenceValid(pattern);
      TopicPattern parsed;
      try {
        parsed = new TopicPattern(pattern);
      } catch (IllegalArgumentException e) {
        parsed = null;
      }
      assertEquals(valid, parsed != null,
          s.caseFailure(where + ": pattern should be " + (valid ? "accepted" : "refused")));
      if (parsed == null) {
        continue;
      }
      boolean expected = referenceMatches(pattern, user, name);
      assertEquals(expected, parsed.matches(new TopicName(name), new UserId(user)),
           s.caseFailure(where + ": should " + (expected ? "" : "not ") + "match"));
    }
  }

  /** 1-6 tokens: often valid, sometimes with a misplaced star, partial braces and all. */
  private static String randomPattern(PropertySchedule s) {
    StringBuilder out = new StringBuilder();
    for (int n = 1 + s.random.nextInt(6); n > 0; n--) {
      String token = s.pick(PATTERN_TOKENS);
      if (token.equals("*") && n > 1 && s.chance(0.7)) {
        token = "a"; // most stars belong at the end, or almost every pattern is invalid
      }
      out.append(token);
    }
    if (s.chance(0.3) && out.indexOf("*") < 0) {
      out.append('*');
    }
    return out.toString();
  }

  /**
   * A valid topic name, half of the time built from the pattern itself (its placeholders
   * filled with the user's id or another, the star replaced by a suffix) so that matches and
   * near misses are frequent; otherwise random.
   */
  private static String randomName(PropertySchedule s, String pattern, String user) {
    if (s.chance(0.5)) {
      String filler = s.chance(0.8) ? user : s.pick(USERS);
      String body = pattern.replace("*", "").replace("{sub}", filler);
      String candidate = body + s.pick(NAME_SUFFIXES);
      if (TopicName.problem(candidate) == null) {
        return candidate;
      }
    }
    StringBuilder out = new StringBuilder();
    for (int n = 1 + s.random.nextInt(6); n > 0; n--) {
      out.append(NAME_CHARS.charAt(s.random.nextInt(NAME_CHARS.length())));
    }
    return out.toString();
  }

  /** Non-empty; no star, or exactly one as the last character. */
  static boolean referenceValid(String pattern) {
    if (pattern.isEmpty()) {
      return false;
    }
    int stars = 0;
    for (int i = 0; i < pattern.length(); i++) {
      if (pattern.charAt(i) == '*') {
        stars++;
      }
    }
    return stars == 0 || (stars == 1 && pattern.charAt(pattern.length() - 1) == '*');
  }

  /** Walks pattern and topic side by side, left to right. */
  static boolean referenceMatches(String pattern, String user, String topic) {
    boolean anySuffix = pattern.charAt(pattern.length() - 1) == '*';
    int end = anySuffix ? pattern.length() - 1 : pattern.length();
    int p = 0;
    int t = 0;
    while (p < end) {
      if (pattern.startsWith(TopicPattern.SUBJECT, p) && p + TopicPattern.SUBJECT.length() <= end) {
        for (int u = 0; u < user.length(); u++, t++) { // the id, character for character
          if (t >= topic.length() || topic.charAt(t) != user.charAt(u)) {
            return false;
          }
        }
        p += TopicPattern.SUBJECT.length();
      } else {
        if (t >= topic.length() || topic.charAt(t) != pattern.charAt(p)) {
          return false;
        }
        p++;
        t++;
      }
    }
    return anySuffix || t == topic.length();
  }
}
