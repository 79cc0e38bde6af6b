package io.realtime.adapter.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The command connection every component shares (Lettuce pipelines all callers on it). While
 * it is absent or disconnected every call fails at once with
 * {@link RedisUnavailableException}; Lettuce refuses commands while disconnected and times out
 * the ones in flight, so no future waits longer than the command timeout.
 *
 * <p>Futures complete on a Netty event-loop thread: continuations must not block.
 */
final class Commands {
  private volatile StatefulRedisConnection<String, String> connection;

  void connection(StatefulRedisConnection<String, String> c) {
    connection = c;
  }

  StatefulRedisConnection<String, String> connection() {
    return connection;
  }

  <T> CompletableFuture<T> script(LuaScript script, ScriptOutputType type, String[] keys,
      String... args) {
    return call(redis -> script.run(redis, type, keys, args));
  }

  CompletableFuture<Long> publish(String channel, String message) {
    return call(redis -> redis.publish(channel, message).toCompletableFuture());
  }

  <T> CompletableFuture<T> call(Function<RedisAsyncCommands<String, String>,
      CompletableFuture<T>> command) {
    StatefulRedisConnection<String, String> c = connection;
    if (c == null || !c.isOpen()) {
      return CompletableFuture.failedFuture(
          new RedisUnavailableException("not connected to Redis", null));
    }
    CompletableFuture<T> f;
    try {
      f = command.apply(c.async());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(translate(e));
    }
    return f.exceptionallyCompose(e -> CompletableFuture.failedFuture(translate(e)));
  }

  /** A reply from Redis stays what it is; anything else means Redis was out of reach. */
  static Throwable translate(Throwable e) {
    Throwable cause = LuaScript.unwrap(e);
    if (cause instanceof RedisCommandExecutionException
        || cause instanceof RedisUnavailableException) {
      return cause;
    }
    return new RedisUnavailableException("Redis unavailable: " + cause.getMessage(), cause);
  }
}
