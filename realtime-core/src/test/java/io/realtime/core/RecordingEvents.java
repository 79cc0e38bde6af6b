package io.realtime.core;

import io.realtime.domain.CloseReason;
import io.realtime.domain.Connection;
import io.realtime.domain.ErrorCode;
import io.realtime.domain.RouteKind;
import io.realtime.port.out.AuthFailure;
import io.realtime.port.out.RealtimeEvents;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every event as a short string such as {@code closed:slow_consumer}. Thread-safe. */
public final class RecordingEvents implements RealtimeEvents {
  private final List<String> events = new CopyOnWriteArrayList<>();

  @Override
  public void connectionOpened(Connection connection) {
    events.add("opened:" + connection.id());
  }

  @Override
  public void connectionClosed(Connection connection, CloseReason reason) {
    events.add("closed:" + reason.tag());
  }

  @Override
  public void messageDelivered(RouteKind route, int recipients) {
    events.add("delivered:" + route.wire() + ":" + recipients);
  }

  @Override
  public void messageDropped(Connection connection, DropReason reason) {
    events.add("dropped:" + reason.tag());
  }

  @Override
  public void requestRejected(Connection connection, ErrorCode code) {
    events.add("rejected:" + code.wire());
  }

  @Override
  public void authFailed(AuthFailure reason) {
    events.add("auth:" + reason.tag());
  }

  @Override
  public void tokenRefreshed(Connection connection) {
    events.add("refreshed:" + connection.id());
  }

  public List<String> all() {
    return List.copyOf(events);
  }

  public boolean has(String event) {
    return events.contains(event);
  }
}
