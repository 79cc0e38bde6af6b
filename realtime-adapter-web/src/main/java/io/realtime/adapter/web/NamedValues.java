package io.realtime.adapter.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A read-only view of multi-valued names: a request's headers or query parameters, as a
 * transport exposes them. Header views must match names case-insensitively (both transports'
 * header maps do); query views match exactly. Thread-safe when the backing map is.
 */
@FunctionalInterface
public interface NamedValues {
  NamedValues EMPTY = name -> List.of();

  /** Every value given for {@code name}, in request order; empty when none. */
  List<String> all(String name);

  /** The first value given for {@code name}. */
  default Optional<String> first(String name) {
    List<String> values = all(name);
    return values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
  }

  /** A view of a plain map with exact names (query parameters). */
  static NamedValues of(Map<String, List<String>> values) {
    Map<String, List<String>> copy = Map.copyOf(values);
    return name -> copy.getOrDefault(name, List.of());
  }

  /** A view of a plain map whose names match case-insensitively (headers). */
  static NamedValues headers(Map<String, List<String>> values) {
    TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    values.forEach((k, v) -> copy.merge(k, List.copyOf(v), (a, b) -> {
      List<String> both = new ArrayList<>(a);
      both.addAll(b);
      return List.copyOf(both);
    }));
    return name -> copy.getOrDefault(name, List.of());
  }
}
