package io.realtime.adapter.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A Lua script run by its SHA-1 ({@code EVALSHA}); when Redis does not know it
 * ({@code NOSCRIPT}, after a restart or {@code SCRIPT FLUSH}) it is sent once with
 * {@code EVAL}, which also caches it again.
 */
final class LuaScript {
  final String name;
  final String source;
  final String sha;

  LuaScript(String name, String source) {
    this.name = name;
    this.source = source;
    this.sha = sha1(source);
  }

  <T> CompletableFuture<T> run(RedisAsyncCommands<String, String> redis, ScriptOutputType type,
      String[] keys, String... args) {
    CompletableFuture<T> bySha = redis.<T>evalsha(sha, type, keys, args).toCompletableFuture();
    return bySha.exceptionallyCompose(e -> {
      if (unwrap(e) instanceof RedisNoScriptException) {
        return redis.<T>eval(source, type, keys, args).toCompletableFuture();
      }
      return CompletableFuture.failedFuture(unwrap(e));
    });
  }

  static Throwable unwrap(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-1", e);
    }
  }
}
