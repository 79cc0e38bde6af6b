package io.realtime.core;

import io.realtime.domain.ClientCommand;
import io.realtime.domain.ErrorCode;
import io.realtime.domain.ServerFrame;
import io.realtime.port.out.EncodedFrame;
import io.realtime.port.out.FrameCodec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A codec without JSON, for core tests: {@link #text} registers a command and returns the
 * "frame text" that decodes to it; encoding keeps each server frame under a unique text so
 * {@link #frame} recovers it, and counts encodings (to check "encode once per message").
 * Any unregistered text decodes as {@code bad_request}.
 */
public final class FakeFrameCodec implements FrameCodec {
  private final Map<String, ClientCommand> commands = new ConcurrentHashMap<>();
  private final Map<String, ServerFrame> frames = new ConcurrentHashMap<>();
  private final AtomicLong counter = new AtomicLong();
  private final AtomicLong messageEncodings = new AtomicLong();

  /** The text a client would send for {@code command}. */
  public String text(ClientCommand command) {
    String text = "cmd-" + counter.incrementAndGet();
    commands.put(text, command);
    return text;
  }

  @Override
  public ClientCommand decode(String text) {
    ClientCommand command = commands.get(text);
    return command != null ? command
        : new ClientCommand.Malformed("", ErrorCode.BAD_REQUEST, "not JSON: " + text);
  }

  @Override
  public String ref(String text) {
    return decode(text).ref();
  }

  @Override
  public EncodedFrame encode(ServerFrame frame) {
    if (frame instanceof ServerFrame.Message) {
      messageEncodings.incrementAndGet();
    }
    String text = "frame-" + counter.incrementAndGet();
    frames.put(text, frame);
    return new EncodedFrame(text);
  }

  /** The server frame an encoded frame stands for. */
  public ServerFrame frame(EncodedFrame encoded) {
    ServerFrame frame = frames.get(encoded.text());
    if (frame == null) {
      throw new IllegalArgumentException("not encoded by this codec: " + encoded);
    }
    return frame;
  }

  /** How many application messages were encoded. */
  public long messageEncodings() {
    return messageEncodings.get();
  }
}
