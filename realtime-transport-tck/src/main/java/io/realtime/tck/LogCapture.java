package io.realtime.tck;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Every log event while it is attached, from every logger at its configured level. */
public final class LogCapture implements AutoCloseable {
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  private LogCapture() {
    appender.start();
    root.addAppender(appender);
  }

  public static LogCapture start() {
    return new LogCapture();
  }

  public int size() {
    return appender.list.size();
  }

  /** Events whose formatted message contains {@code fragment}, such as an event name. */
  public int count(String fragment) {
    int n = 0;
    for (ILoggingEvent e : new ArrayList<>(appender.list)) {
      if (e.getFormattedMessage() != null && e.getFormattedMessage().contains(fragment)) {
        n++;
      }
    }
    return n;
  }

  /** Fails naming the first event whose text (message, throwables) holds {@code secret}. */
  public void assertNoneContains(String secret) {
    for (ILoggingEvent e : new ArrayList<>(appender.list)) {
      List<String> texts = new ArrayList<>();
      texts.add(e.getFormattedMessage());
      for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        texts.add(String.valueOf(t.getMessage()));
      }
      for (String text : texts) {
        if (text != null && text.contains(secret)) {
          throw new AssertionError("a log line holds a secret: " + e.getLoggerName() + " "
              + text.replace(secret, "<SECRET>"));
        }
      }
    }
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
  }
}
