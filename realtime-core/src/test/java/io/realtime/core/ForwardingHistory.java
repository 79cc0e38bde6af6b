package io.realtime.core;

import io.realtime.domain.Envelope;
import io.realtime.domain.StreamPosition;
import io.realtime.domain.TopicName;
import io.realtime.port.out.EncodedFrame;
import io.realtime.port.out.Replay;
import io.realtime.port.out.StoredMessage;
import io.realtime.port.out.TopicHistory;
import java.util.function.Function;

/** A history that hands every call to {@code real}; tests override what they observe or break. */
class ForwardingHistory implements TopicHistory {
  final TopicHistory real;

  ForwardingHistory(TopicHistory real) {
    this.real = real;
  }

  @Override
  public StoredMessage append(Envelope message, Function<Envelope, EncodedFrame> encode) {
    return real.append(message, encode);
  }

  @Override
  public Replay since(TopicName topic, StreamPosition after) {
    return real.since(topic, after);
  }

  @Override
  public Replay retained(TopicName topic) {
    return real.retained(topic);
  }

  @Override
  public boolean enabled() {
    return real.enabled();
  }
}
