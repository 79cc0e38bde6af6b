package io.realtime.core;

import io.realtime.domain.ErrorCode;
import io.realtime.domain.ServerFrame;
import io.realtime.port.out.EncodedFrame;
import io.realtime.port.out.FrameCodec;
import io.realtime.port.out.RealtimeEvents;

/** Answers to one client: a frame encoded for it alone, or an error that is also counted. */
final class Replies {
  private final FrameCodec codec;
  private final RealtimeEvents events;

  Replies(FrameCodec codec, RealtimeEvents events) {
    this.codec = codec;
    this.events = events;
  }

  void reply(ConnectionSession session, ServerFrame frame) {
    session.send(codec.encode(frame));
  }

  void error(ConnectionSession session, String ref, ErrorCode code, String message) {
    reply(session, ServerFrame.Error.of(ref, code, message));
    events.requestRejected(session.connection(), code);
  }

  EncodedFrame encode(ServerFrame frame) {
    return codec.encode(frame);
  }
}
