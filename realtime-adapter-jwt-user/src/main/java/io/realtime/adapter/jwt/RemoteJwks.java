package io.realtime.adapter.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.CachingJWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import java.io.Closeable;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys from a JWKS endpoint, through Nimbus's source chain: cache, rate limit, outage tolerance,
 * one retry, fetch. Thread-safe. A verification blocks only when it must fetch (first use,
 * an expired cache, an unknown {@code kid}); one thread fetches, the others wait for it.
 *
 * <p>No refresh-ahead: it would need a background thread, and Nimbus requires a TTL longer than
 * the refresh-ahead time plus the refresh timeout, which short test TTLs are not. After the TTL
 * one verification refreshes inline, bounded by the HTTP timeouts.
 */
final class RemoteJwks implements VerificationKeys {
  private static final Logger log = LoggerFactory.getLogger(RemoteJwks.class);

  /** Every asymmetric algorithm Nimbus verifies without extra libraries; never HS* or none. */
  static final Set<JWSAlgorithm> ALGORITHMS = Set.of(
      JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
      JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
      JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

  /** Large providers publish JWK sets of 10 to 20 KiB; Nimbus's default limit is 50 KiB. */
  private static final int SIZE_LIMIT_BYTES = 256 * 1024;

  private final JWKSource<SecurityContext> source;
  private final JWSKeySelector<SecurityContext> selector;
  private final long cacheTtlMillis;
  /** When the cached key set stops being usable, in epoch millis; Nimbus's own time base. */
  private volatile long keysUsableUntil = Long.MIN_VALUE;

  RemoteJwks(KeySource.Jwks settings) {
    URL url;
    try {
      url = settings.url().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("not a usable JWKS url: " + settings.url(), e);
    }
    warnIfInsecure(url);
    int timeout = (int) settings.httpTimeout().toMillis();
    var retriever = new DefaultResourceRetriever(timeout, timeout, SIZE_LIMIT_BYTES);
    cacheTtlMillis = settings.cacheTtl().toMillis();
    // a caller waiting for another thread's refresh waits out a fetch and its one retry
    long refreshTimeout = 4L * timeout + 1000;
    JWKSourceBuilder<SecurityContext> builder = JWKSourceBuilder
        .create(new LoggedFetch(new URLBasedJWKSetSource<>(url, retriever), url))
        .cache(cacheTtlMillis, refreshTimeout, event -> {
          if (event instanceof CachingJWKSetSource.RefreshCompletedEvent<?>) {
            keysUsableUntil = System.currentTimeMillis() + cacheTtlMillis;
          }
        })
        .refreshAheadCache(false)
        .rateLimited(settings.refreshRateLimit().toMillis())
        .retrying(true);
    builder = settings.outageTolerance().isZero()
        ? builder.outageTolerant(false)
        : builder.outageTolerant(settings.outageTolerance().toMillis());
    source = builder.build();
    selector = new JWSVerificationKeySelector<>(ALGORITHMS, source);
  }

  @Override
  public Set<JWSAlgorithm> algorithms() {
    return ALGORITHMS;
  }

  @Override
  public JWSKeySelector<SecurityContext> selector() {
    return selector;
  }

  @Override
  public boolean holdsKeys() {
    return System.currentTimeMillis() < keysUsableUntil;
  }

  @Override
  public void close() {
    if (source instanceof Closeable closeable) {
      try {
        closeable.close();
      } catch (IOException e) {
        log.warn("jwks.close_failed error={}", e.toString());
      }
    }
  }

  private static void warnIfInsecure(URL url) {
    String host = url.getHost().toLowerCase(Locale.ROOT);
    // by name only: no DNS lookup at startup just to decide on a warning
    boolean loopback = host.equals("localhost") || host.startsWith("127.")
        || host.equals("[::1]") || host.equals("::1");
    if ("http".equalsIgnoreCase(url.getProtocol()) && !loopback) {
      log.warn("jwks.insecure_url url={} hint=\"keys over plain http can be forged in transit;"
          + " use https\"", url);
    }
  }

  /**
   * The innermost fetch, logged: one WARN line per failed HTTP fetch (the rate limit bounds how
   * many), one INFO line when fetching works again. Never logs key material.
   */
  private static final class LoggedFetch implements JWKSetSource<SecurityContext> {
    private final JWKSetSource<SecurityContext> fetch;
    private final URL url;
    private volatile boolean failing;

    LoggedFetch(JWKSetSource<SecurityContext> fetch, URL url) {
      this.fetch = fetch;
      this.url = url;
    }

    @Override
    public JWKSet getJWKSet(
        JWKSetCacheRefreshEvaluator refreshEvaluator, long currentTime, SecurityContext context)
        throws KeySourceException {
      try {
        JWKSet set = fetch.getJWKSet(refreshEvaluator, currentTime, context);
        if (failing) {
          failing = false;
          log.info("jwks.fetch_recovered url={} keys={}", url, set.size());
        } else {
          log.debug("jwks.fetched url={} keys={}", url, set.size());
        }
        return set;
      } catch (KeySourceException e) {
        failing = true;
        log.warn("jwks.fetch_failed url={} error=\"{}\"", url, e.getMessage());
        throw e;
      }
    }

    @Override
    public void close() throws IOException {
      fetch.close();
    }
  }
}
