package io.realtime.adapter.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The top-level fields of one JSON object, read in a single pass with Jackson's streaming
 * parser. A string field keeps its decoded text; every field keeps the exact slice of the
 * source it came from, so a payload travels as the client wrote it, never re-serialized.
 *
 * <p>Reading never throws on bad input: {@link #problem()} says what was wrong, and the fields
 * read before the problem stay available (so an error can still repeat the frame's
 * {@code ref}). Field accessors throw {@link BadField}, which callers in this package turn
 * into a protocol answer. Not thread-safe; one instance per document.
 */
final class JsonFields {
  /** Nesting deeper than this is refused (a guard against stack-hungry documents). */
  static final int MAX_DEPTH = 32;

  private final String source;
  private final Map<String, Field> fields = new HashMap<>(8);
  private String problem = "";

  private JsonFields(String source) {
    this.source = source;
  }

  /** A parser factory with the guards every client document gets. */
  static JsonFactory factory(int maxChars) {
    return JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(MAX_DEPTH)
            .maxDocumentLength(maxChars)
            .maxStringLength(maxChars)
            .maxNumberLength(1000)
            .build())
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
        .build();
  }

  /**
   * A factory that reads what the guarded one refuses (long numbers, deep nesting, duplicate
   * keys), for finding the {@code ref} of a refused frame; still bounded by {@code maxChars}.
   */
  static JsonFactory lenientFactory(int maxChars) {
    return JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(Math.max(MAX_DEPTH, maxChars))
            .maxDocumentLength(maxChars)
            .maxStringLength(maxChars)
            .maxNumberLength(maxChars)
            .build())
        .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
        .build();
  }

  /**
   * Reads {@code source}, which must be one JSON object and nothing else.
   *
   * @param wanted the field names to keep; others are validated and skipped
   */
  static JsonFields read(JsonFactory factory, String source, Set<String> wanted) {
    JsonFields out = new JsonFields(source);
    try (JsonParser p = factory.createParser(source)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        out.problem = "expected a JSON object";
        return out;
      }
      for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (!wanted.contains(name)) {
          p.skipChildren();
          continue;
        }
        int start = (int) p.currentTokenLocation().getCharOffset();
        String text = "";
        if (value == JsonToken.VALUE_STRING) {
          text = p.getText(); // also completes the lazily parsed token, so the end is known
        } else if (value.isStructStart()) {
          p.skipChildren();
        }
        int end = (int) p.currentLocation().getCharOffset();
        out.fields.put(name, new Field(name, value, text, start, end));
      }
      if (p.nextToken() != null) {
        out.problem = "unexpected content after the JSON object";
      }
    } catch (JsonProcessingException e) {
      out.problem = "malformed JSON: " + describe(e);
    } catch (IOException | RuntimeException e) { // a String source fails only on a bug
      out.problem = "malformed JSON";
    }
    return out;
  }

  /** Why the document was refused; {@code ""} when it was one well-formed object. */
  String problem() {
    return problem;
  }

  boolean ok() {
    return problem.isEmpty();
  }

  boolean has(String name) {
    Field f = fields.get(name);
    return f != null && f.token != JsonToken.VALUE_NULL;
  }

  /** A required string field. */
  String string(String name) {
    Field f = fields.get(name);
    if (f == null) {
      throw new BadField("field '" + name + "' is required");
    }
    return f.string();
  }

  /** An optional string field; {@code ""} when absent or null. */
  String optionalString(String name) {
    Field f = fields.get(name);
    return f == null || f.token == JsonToken.VALUE_NULL ? "" : f.string();
  }

  /** An optional boolean field; {@code false} when absent or null. */
  boolean optionalBoolean(String name) {
    Field f = fields.get(name);
    if (f == null || f.token == JsonToken.VALUE_NULL) {
      return false;
    }
    if (f.token == JsonToken.VALUE_TRUE) {
      return true;
    }
    if (f.token == JsonToken.VALUE_FALSE) {
      return false;
    }
    throw new BadField("field '" + name + "' must be a boolean");
  }

  /** A required field of any JSON type (null included), as its exact source text. */
  String raw(String name) {
    Field f = fields.get(name);
    if (f == null) {
      throw new BadField("field '" + name + "' is required");
    }
    return source.substring(f.start, f.end);
  }

  /** A required object field, as its exact source text. */
  String object(String name) {
    Field f = fields.get(name);
    if (f == null) {
      throw new BadField("field '" + name + "' is required");
    }
    if (f.token != JsonToken.START_OBJECT) {
      throw new BadField("field '" + name + "' must be an object");
    }
    return source.substring(f.start, f.end);
  }

  /** An optional array of strings; empty when absent or null. */
  List<String> optionalStrings(JsonFactory factory, String name) {
    Field f = fields.get(name);
    if (f == null || f.token == JsonToken.VALUE_NULL) {
      return List.of();
    }
    String message = "field '" + name + "' must be an array of strings";
    if (f.token != JsonToken.START_ARRAY) {
      throw new BadField(message);
    }
    List<String> out = new ArrayList<>();
    try (JsonParser p = factory.createParser(source.substring(f.start, f.end))) {
      p.nextToken();
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        if (t != JsonToken.VALUE_STRING) {
          throw new BadField(message);
        }
        out.add(p.getText());
      }
    } catch (IOException e) { // the slice parsed once already
      throw new BadField(message);
    }
    return out;
  }

  /** An optional whole number within [min, max]; {@code fallback} when absent or null. */
  long optionalLong(String name, long fallback, long min, long max) {
    Field f = fields.get(name);
    if (f == null || f.token == JsonToken.VALUE_NULL) {
      return fallback;
    }
    String message = "field '" + name + "' must be a whole number from " + min + " to " + max;
    if (f.token != JsonToken.VALUE_NUMBER_INT) {
      throw new BadField(message);
    }
    try {
      long value = Long.parseLong(source.substring(f.start, f.end).strip());
      if (value < min || value > max) {
        throw new BadField(message);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new BadField(message);
    }
  }

  private static String describe(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    if (message == null) {
      message = e.getClass().getSimpleName();
    }
    int newline = message.indexOf('\n');
    if (newline >= 0) {
      message = message.substring(0, newline);
    }
    if (message.length() > 160) {
      message = message.substring(0, 160) + "...";
    }
    if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
      message += " (line " + e.getLocation().getLineNr()
          + ", column " + e.getLocation().getColumnNr() + ")";
    }
    return message;
  }

  /** One kept field: its JSON token, decoded text for a string, and its source slice. */
  private record Field(String name, JsonToken token, String text, int start, int end) {
    String string() {
      if (token != JsonToken.VALUE_STRING) {
        throw new BadField("field '" + name + "' must be a string");
      }
      return text;
    }
  }

  /** A field is missing or has the wrong type; the message names it, for the client. */
  static final class BadField extends RuntimeException {
    BadField(String message) {
      super(message, null, false, false); // expected input: no stack trace to fill
    }
  }
}
