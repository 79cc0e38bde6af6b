package io.realtime.app.config;

import java.util.List;

/** The configuration is invalid; each problem names the variable (and flag) to fix. */
public final class ConfigException extends RuntimeException {
  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
