package io.realtime.adapter.jwt;

import io.realtime.domain.Principal;
import io.realtime.domain.UserId;
import io.realtime.port.out.UserCheck;
import io.realtime.port.out.UserDirectory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link UserDirectory} over the host's own user store, with a bounded cache in front.
 *
 * <p>{@code lookup} loads what the host knows about a user (an account row, or the host's own
 * value for "unknown"); it may block, and is called at most once per user per {@code ttl}
 * (two threads missing at once may both call it). {@code review} then decides from the verified
 * principal and that value, on every handshake and refresh, so an enriched principal always
 * carries the current token's expiry and claims; it must not block. What is cached is the
 * looked-up value, never a decision.
 *
 * <p>Thread-safe. At most {@code maxEntries} users are kept, least recently used dropped
 * first. When {@code lookup} throws or returns null, or {@code review} throws, the user is
 * denied (fail closed), the failure logged, and nothing new cached, so the next handshake tries
 * again. {@link #invalidate}
 * makes a change (a disabled account) count from the next handshake on; closing that user's
 * open connections is the host's job (the kick API).
 *
 * @param <A> the host's value for one user
 */
public final class CachingUserDirectory<A> implements UserDirectory {
  private static final Logger log = LoggerFactory.getLogger(CachingUserDirectory.class);

  private final Function<UserId, A> lookup;
  private final BiFunction<Principal, A, UserCheck> review;
  private final Duration ttl;
  private final Clock clock;
  /** Guarded by itself; access-ordered, so its eldest entry is the least recently used. */
  private final LinkedHashMap<UserId, Loaded<A>> cache;

  public CachingUserDirectory(Function<UserId, A> lookup,
      BiFunction<Principal, A, UserCheck> review, Duration ttl, int maxEntries) {
    this(lookup, review, ttl, maxEntries, Clock.systemUTC());
  }

  public CachingUserDirectory(Function<UserId, A> lookup,
      BiFunction<Principal, A, UserCheck> review, Duration ttl, int maxEntries, Clock clock) {
    this.lookup = Objects.requireNonNull(lookup, "lookup");
    this.review = Objects.requireNonNull(review, "review");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (ttl.isZero() || ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl);
    }
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1: " + maxEntries);
    }
    this.cache = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<UserId, Loaded<A>> eldest) {
        return size() > maxEntries;
      }
    };
  }

  @Override
  public UserCheck review(Principal verified) {
    UserId user = verified.user();
    A value = cached(user);
    if (value == null) {
      try {
        value = lookup.apply(user);
      } catch (RuntimeException e) {
        log.warn("user_directory.lookup_failed userId={} exception={}", user, e.toString());
        return new UserCheck.Denied("the user directory is unavailable");
      }
      if (value == null) {
        log.warn("user_directory.lookup_failed userId={} exception=\"lookup returned null\"", user);
        return new UserCheck.Denied("the user directory is unavailable");
      }
      synchronized (cache) {
        cache.put(user, new Loaded<>(value, clock.instant().plus(ttl)));
      }
    }
    try {
      return review.apply(verified, value);
    } catch (RuntimeException e) { // a bug in the host's rule: keep the user out, say why once
      log.warn("user_directory.review_failed userId={} exception={}", user, e.toString());
      return new UserCheck.Denied("the user directory is unavailable");
    }
  }

  /** Forgets {@code user}: the next handshake or refresh looks them up again. */
  public void invalidate(UserId user) {
    synchronized (cache) {
      cache.remove(user);
    }
  }

  /** Forgets every user. */
  public void invalidateAll() {
    synchronized (cache) {
      cache.clear();
    }
  }

  /** How many users are cached now, expired ones included until they are touched. */
  public int size() {
    synchronized (cache) {
      return cache.size();
    }
  }

  /** The cached value, or null when there is none or it expired (null stays in here). */
  private A cached(UserId user) {
    Instant now = clock.instant();
    synchronized (cache) {
      Loaded<A> loaded = cache.get(user);
      if (loaded == null) {
        return null;
      }
      if (!now.isBefore(loaded.expiresAt())) {
        cache.remove(user);
        return null;
      }
      return loaded.value();
    }
  }

  private record Loaded<A>(A value, Instant expiresAt) {}
}
