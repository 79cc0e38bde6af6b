package io.realtime.port.out;

import io.realtime.domain.ClientCommand;
import io.realtime.domain.ServerFrame;

/** Client frame text to a command, and server frames to text. Thread-safe. */
public interface FrameCodec {
  /** Never throws on client input: anything undecodable is a {@link ClientCommand.Malformed}. */
  ClientCommand decode(String text);

  /**
   * The {@code ref} of a client frame, read without decoding the rest: for answering a frame
   * refused before it is decoded (over the rate limit). {@code ""} when the frame has none or
   * it cannot be read; never throws.
   */
  String ref(String text);

  /** Encodes a server frame; a message's payload is spliced in verbatim, not re-parsed. */
  EncodedFrame encode(ServerFrame frame);
}
