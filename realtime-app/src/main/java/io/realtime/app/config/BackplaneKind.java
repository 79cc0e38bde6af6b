package io.realtime.app.config;

/** How nodes share messages. */
public enum BackplaneKind {
  /** One node, in process: nothing to install. */
  MEMORY,
  /** Many nodes through Redis. */
  REDIS
}
