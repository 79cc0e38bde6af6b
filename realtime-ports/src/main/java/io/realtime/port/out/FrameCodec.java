package io.realtime.port.out;

import io.realtime.domain.ClientCommand;
import io.realtime.domain.ServerFrame;

/** Client frame text to a command, and server frames to text. Thread-safe. */
public interface FrameCodec {
  /** Never throws on client input: anything undecodable is a {@link ClientCommand.Malformed}. */
  ClientCommand decode(String text);

  /** Encodes a server frame; a message's payload is spliced in verbatim, not re-parsed. */
  EncodedFrame encode(ServerFrame frame);
}
