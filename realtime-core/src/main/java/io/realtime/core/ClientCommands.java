package io.realtime.core;

import io.realtime.domain.ClientCommand;
import io.realtime.domain.CloseCode;
import io.realtime.domain.Connection;
import io.realtime.domain.ErrorCode;
import io.realtime.domain.Permissions;
import io.realtime.domain.Principal;
import io.realtime.domain.RoutingTable;
import io.realtime.domain.ServerFrame;
import io.realtime.domain.Target;
import io.realtime.domain.TopicName;
import io.realtime.port.in.AuthenticateUseCase;
import io.realtime.port.in.PublishMessageUseCase.PublishRequest;
import io.realtime.port.in.PublishMessageUseCase.PublishResult;
import io.realtime.port.out.ClientMessageHandler;
import io.realtime.port.out.FrameCodec;
import io.realtime.port.out.HandlerResult;
import io.realtime.port.out.RealtimeEvents;
import io.realtime.port.out.TokenCheck;
import java.util.Map;
import java.util.Optional;

/**
 * Every client frame of PROTOCOL.md section 3: the rate limit first (before any decoding), then
 * the frame decoded and answered. Called on the connection's reading thread, one frame at a
 * time.
 */
final class ClientCommands {
  private final FrameCodec codec;
  private final Replies replies;
  private final Subscriptions subscriptions;
  private final PublishService publisher;
  private final AuthenticateUseCase auth;
  private final ExpiryTimers expiry;
  private final RealtimeEvents events;
  private final RoutingTable<ConnectionSession, Subscription> routes;
  private final Map<String, ClientMessageHandler> handlers;
  private final double clientRate;

  ClientCommands(FrameCodec codec, Replies replies, Subscriptions subscriptions,
      PublishService publisher, AuthenticateUseCase auth, ExpiryTimers expiry,
      RealtimeEvents events, RoutingTable<ConnectionSession, Subscription> routes,
      Map<String, ClientMessageHandler> handlers, double clientRate) {
    this.codec = codec;
    this.replies = replies;
    this.subscriptions = subscriptions;
    this.publisher = publisher;
    this.auth = auth;
    this.expiry = expiry;
    this.events = events;
    this.routes = routes;
    this.handlers = Map.copyOf(handlers);
    this.clientRate = clientRate;
  }

  void receive(ConnectionSession session, String text, long nowNanos) {
    if (session.isEnded()) {
      return;
    }
    if (!session.admitFrame(nowNanos)) { // refused unread: only its ref is looked for
      replies.error(session, refOf(text), ErrorCode.RATE_LIMITED,
          "more than " + (long) clientRate + " frames per second");
      if (!session.tolerateViolation(nowNanos)) {
        session.close(CloseCode.POLICY_VIOLATION);
      }
      return;
    }
    ClientCommand command;
    try {
      command = codec.decode(text);
    } catch (RuntimeException e) { // a codec must not throw; if one does, the client still hears
      command = new ClientCommand.Malformed(refOf(text), ErrorCode.INTERNAL,
          "the server could not read this frame");
    }
    try {
      dispatch(session, command);
    } catch (RuntimeException e) { // a bug must not cost the client its connection
      replies.error(session, command.ref(), ErrorCode.INTERNAL,
          "the server failed on this request");
    }
  }

  /** The frame's ref, or none when even that cannot be read (a codec must not throw). */
  private String refOf(String text) {
    try {
      return codec.ref(text);
    } catch (RuntimeException e) {
      return "";
    }
  }

  void receiveBinary(ConnectionSession session) {
    replies.error(session, "", ErrorCode.UNSUPPORTED_FRAME,
        "binary frames are not supported: send JSON text frames");
  }

  private void dispatch(ConnectionSession session, ClientCommand command) {
    if (command instanceof ClientCommand.Ping ping) {
      replies.reply(session, new ServerFrame.Pong(ping.ref()));
    } else if (command instanceof ClientCommand.Subscribe subscribe) {
      subscriptions.subscribe(session, subscribe);
    } else if (command instanceof ClientCommand.Unsubscribe unsubscribe) {
      subscriptions.unsubscribe(session, unsubscribe);
    } else if (command instanceof ClientCommand.Publish publish) {
      publish(session, publish);
    } else if (command instanceof ClientCommand.Refresh refresh) {
      refresh(session, refresh);
    } else if (command instanceof ClientCommand.Custom custom) {
      custom(session, custom);
    } else if (command instanceof ClientCommand.Malformed malformed) {
      replies.error(session, malformed.ref(), malformed.code(), malformed.message());
    } else {
      throw new AssertionError(command);
    }
  }

  private void publish(ConnectionSession session, ClientCommand.Publish command) {
    Optional<String> problem = TopicName.problem(command.topic());
    if (problem.isPresent()) {
      replies.error(session, command.ref(), ErrorCode.INVALID_TOPIC, problem.get());
      return;
    }
    TopicName topic = new TopicName(command.topic());
    Connection connection = session.connection();
    if (!connection.hasPermission(Permissions.PUBLISH)) {
      replies.error(session, command.ref(), ErrorCode.FORBIDDEN,
          "publishing needs the permission '" + Permissions.PUBLISH + "'");
      return;
    }
    if (!connection.mayAccess(topic)) {
      replies.error(session, command.ref(), ErrorCode.FORBIDDEN,
          "your token does not allow topic '" + topic + "'");
      return;
    }
    PublishResult result = publisher.publish(
        new PublishRequest(new Target.Topic(topic), command.event(), command.payload()));
    if (result instanceof PublishResult.Rejected rejected) {
      replies.error(session, command.ref(), rejected.code(), "event: " + rejected.message());
    } else {
      replies.reply(session, new ServerFrame.Ack(command.ref()));
    }
  }

  private void refresh(ConnectionSession session, ClientCommand.Refresh command) {
    TokenCheck check = auth.authenticate(command.token());
    if (check instanceof TokenCheck.Invalid invalid) {
      replies.error(session, command.ref(), ErrorCode.UNAUTHORIZED, invalid.detail());
      return;
    }
    Principal principal = ((TokenCheck.Valid) check).principal();
    Connection current = session.connection();
    if (!principal.user().equals(current.user())) {
      replies.error(session, command.ref(), ErrorCode.UNAUTHORIZED,
          "the new token is for another user (sub)");
      return;
    }
    Connection refreshed = current.withPrincipal(principal);
    session.connection(refreshed);
    routes.update(refreshed);
    expiry.schedule(session);
    events.tokenRefreshed(refreshed);
    replies.reply(session, new ServerFrame.Ack(command.ref()));
  }

  private void custom(ConnectionSession session, ClientCommand.Custom command) {
    ClientMessageHandler handler = handlers.get(command.type());
    if (handler == null) {
      replies.error(session, command.ref(), ErrorCode.UNKNOWN_TYPE,
          "no handler for type '" + command.type() + "'");
      return;
    }
    HandlerResult result = handler.handle(session.connection(), command.type(), command.frame());
    if (result instanceof HandlerResult.Reject reject) {
      replies.reply(session, new ServerFrame.Error(command.ref(), reject.code(), reject.message()));
    } else {
      replies.reply(session, new ServerFrame.Ack(command.ref()));
    }
  }
}
