package com.example.orders.adapter.realtime;

import com.example.orders.domain.Order;
import com.example.orders.port.out.OrderNotifier;
import io.realtime.domain.RawJson;
import io.realtime.domain.Target;
import io.realtime.port.in.PublishMessageUseCase;
import io.realtime.port.in.PublishMessageUseCase.PublishRequest;
import io.realtime.port.in.PublishMessageUseCase.PublishResult;
import java.util.Objects;

/**
 * Notifies a customer through an embedded realtime node: an {@code order.placed} message to
 * every connection of the user whose id is the customer's id. Uses realtime's publish use case
 * (a port), not its core, so any node (embedded, or a client of a remote one) can serve.
 *
 * <pre>{@code
 * {"type":"order.placed","id":"…","ts":"…",
 *  "payload":{"orderId":"…","item":"book","quantity":2,"placedAt":"…"}}
 * }</pre>
 *
 * <p>Thread-safe and non-blocking, as the publish use case is.
 */
public final class RealtimeOrderNotifier implements OrderNotifier {
  /** The message type a customer's client listens for. */
  public static final String ORDER_PLACED = "order.placed";

  private final PublishMessageUseCase publisher;

  public RealtimeOrderNotifier(PublishMessageUseCase publisher) {
    this.publisher = Objects.requireNonNull(publisher, "publisher");
  }

  @Override
  public void orderPlaced(Order order) {
    PublishResult result = publisher.publish(new PublishRequest(
        Target.user(order.customer().value()), ORDER_PLACED, payload(order)));
    if (result instanceof PublishResult.Rejected rejected) {
      // our own type and payload are always valid: a refusal is a bug, not an outcome
      throw new IllegalStateException("order.placed refused: " + rejected.message());
    }
  }

  static RawJson payload(Order order) {
    return new RawJson("{\"orderId\":" + string(order.id().value())
        + ",\"item\":" + string(order.item())
        + ",\"quantity\":" + order.quantity()
        + ",\"placedAt\":" + string(order.placedAt().toString()) + "}");
  }

  /** {@code value} as a JSON string literal. */
  static String string(String value) {
    StringBuilder json = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c < 0x20) {
        json.append(String.format("\\u%04x", (int) c));
      } else {
        json.append(c);
      }
    }
    return json.append('"').toString();
  }
}
