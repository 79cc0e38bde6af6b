package io.realtime.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Who receives what: the live connections of this node, indexed by id, user, role and topic,
 * each carrying a handle of the caller's choosing (the core keeps its session object there),
 * and each subscription a value of the caller's choosing (the core keeps its per-topic state
 * there): the one place where topic membership is kept.
 *
 * <p>Threading: every method is thread-safe and lock-free; lookups see a weakly consistent
 * view, as {@link ConcurrentHashMap} iteration does. Finding the recipients of a target costs
 * time proportional to the recipients, never to all connections (except for a broadcast,
 * whose recipients are all connections). Removing a connection removes every trace of it,
 * even when a subscribe to it races the removal.
 *
 * @param <H> the per-connection handle routing delivers to
 * @param <S> the per-subscription value
 */
public final class RoutingTable<H, S> {
  private final Map<ConnectionId, Entry<H, S>> byId = new ConcurrentHashMap<>();
  private final Map<UserId, Set<Entry<H, S>>> byUser = new ConcurrentHashMap<>();
  private final Map<String, Set<Entry<H, S>>> byRole = new ConcurrentHashMap<>();
  private final Map<TopicName, Set<Entry<H, S>>> byTopic = new ConcurrentHashMap<>();

  /** Registers a connection; its id must not be registered already. */
  public void add(Connection connection, H handle) {
    Entry<H, S> entry = new Entry<>(connection, handle);
    if (byId.putIfAbsent(connection.id(), entry) != null) {
      throw new IllegalStateException("connection already registered: " + connection.id());
    }
    index(byUser, connection.user(), entry);
    for (String role : connection.roles()) {
      index(byRole, role, entry);
    }
    if (entry.removed) { // a remove() saw the id before we indexed it: take back what we added
      unindex(byUser, connection.user(), entry);
      for (String role : connection.roles()) {
        unindex(byRole, role, entry);
      }
    }
  }

  /** Replaces a connection's value (a token refresh), re-indexing its roles. */
  public boolean update(Connection refreshed) {
    Entry<H, S> entry = byId.get(refreshed.id());
    if (entry == null) {
      return false;
    }
    Connection old = entry.connection;
    entry.connection = refreshed;
    for (String role : refreshed.roles()) {
      if (!old.roles().contains(role)) {
        index(byRole, role, entry);
      }
    }
    for (String role : old.roles()) {
      if (!refreshed.roles().contains(role)) {
        unindex(byRole, role, entry);
      }
    }
    if (entry.removed) { // a removal raced the refresh: take back what we added
      for (String role : refreshed.roles()) {
        unindex(byRole, role, entry);
      }
    }
    return true;
  }

  /** Unregisters a connection and all its subscriptions; its handle, if it was registered. */
  public Optional<H> remove(ConnectionId id) {
    Entry<H, S> entry = byId.remove(id);
    if (entry == null) {
      return Optional.empty();
    }
    entry.removed = true;
    Connection connection = entry.connection;
    unindex(byUser, connection.user(), entry);
    for (String role : connection.roles()) {
      unindex(byRole, role, entry);
    }
    for (TopicName topic : entry.topics.keySet()) {
      unindex(byTopic, topic, entry);
    }
    entry.topics.clear();
    return Optional.of(entry.handle);
  }

  /**
   * Subscribes a registered connection, keeping {@code subscription} with it; false if it is
   * not registered or already subscribed (the first value stays).
   */
  public boolean subscribe(ConnectionId id, TopicName topic, S subscription) {
    Objects.requireNonNull(subscription, "subscription");
    Entry<H, S> entry = byId.get(id);
    if (entry == null || entry.topics.putIfAbsent(topic, subscription) != null) {
      return false;
    }
    index(byTopic, topic, entry);
    if (entry.removed) { // remove() may have iterated topics before our add
      unindex(byTopic, topic, entry);
      return false;
    }
    return true;
  }

  /** Unsubscribes; false if the connection was not subscribed to the topic. */
  public boolean unsubscribe(ConnectionId id, TopicName topic) {
    Entry<H, S> entry = byId.get(id);
    if (entry == null || entry.topics.remove(topic) == null) {
      return false;
    }
    unindex(byTopic, topic, entry);
    return true;
  }

  /** The value a connection's subscription to {@code topic} was made with, if it has one. */
  public Optional<S> subscription(ConnectionId id, TopicName topic) {
    Entry<H, S> entry = byId.get(id);
    return entry == null ? Optional.empty() : Optional.ofNullable(entry.topics.get(topic));
  }

  /**
   * Hands every subscriber of {@code topic}, with its subscription, to {@code subscriber};
   * returns how many there were. Weakly consistent, as {@link #forEachRecipient}.
   */
  public int forEachSubscriber(TopicName topic, BiConsumer<? super H, ? super S> subscriber) {
    Set<Entry<H, S>> entries = byTopic.get(topic);
    if (entries == null) {
      return 0;
    }
    int n = 0;
    for (Entry<H, S> entry : entries) {
      S subscription = entry.topics.get(topic);
      if (subscription != null) { // else unsubscribed since the set was read
        subscriber.accept(entry.handle, subscription);
        n++;
      }
    }
    return n;
  }

  /**
   * Hands every recipient of {@code target} to {@code recipient}; returns how many there were.
   * A connection registered or removed meanwhile may or may not be included.
   */
  public int forEachRecipient(Target target, Consumer<? super H> recipient) {
    if (target instanceof Target.Broadcast) {
      int n = 0;
      for (Entry<H, S> entry : byId.values()) {
        recipient.accept(entry.handle);
        n++;
      }
      return n;
    }
    if (target instanceof Target.Connection c) {
      Entry<H, S> entry = byId.get(c.id());
      if (entry == null) {
        return 0;
      }
      recipient.accept(entry.handle);
      return 1;
    }
    Set<Entry<H, S>> entries;
    if (target instanceof Target.User u) {
      entries = byUser.get(u.id());
    } else if (target instanceof Target.Role r) {
      entries = byRole.get(r.name());
    } else if (target instanceof Target.Topic t) {
      entries = byTopic.get(t.name());
    } else {
      throw new AssertionError(target);
    }
    if (entries == null) {
      return 0;
    }
    int n = 0;
    for (Entry<H, S> entry : entries) {
      recipient.accept(entry.handle);
      n++;
    }
    return n;
  }

  /** The recipients of {@code target}, collected (for tests and admin tools, not the hot path). */
  public List<H> recipients(Target target) {
    List<H> out = new ArrayList<>();
    forEachRecipient(target, out::add);
    return out;
  }

  public Optional<Connection> connection(ConnectionId id) {
    Entry<H, S> entry = byId.get(id);
    return entry == null ? Optional.empty() : Optional.of(entry.connection);
  }

  public Optional<H> handle(ConnectionId id) {
    Entry<H, S> entry = byId.get(id);
    return entry == null ? Optional.empty() : Optional.of(entry.handle);
  }

  /** The topics a connection is subscribed to; empty if it is not registered. */
  public Set<TopicName> topicsOf(ConnectionId id) {
    Entry<H, S> entry = byId.get(id);
    return entry == null ? Set.of() : Collections.unmodifiableSet(entry.topics.keySet());
  }

  public boolean isSubscribed(ConnectionId id, TopicName topic) {
    Entry<H, S> entry = byId.get(id);
    return entry != null && entry.topics.containsKey(topic);
  }

  /** Every handle, for drain and heartbeats. */
  public void forEach(Consumer<? super H> action) {
    for (Entry<H, S> entry : byId.values()) {
      action.accept(entry.handle);
    }
  }

  public int connectionCount() {
    return byId.size();
  }

  public int userCount() {
    return byUser.size();
  }

  public int topicCount() {
    return byTopic.size();
  }

  /** How many connections the user holds on this node. */
  public int connectionsOf(UserId user) {
    Set<Entry<H, S>> entries = byUser.get(user);
    return entries == null ? 0 : entries.size();
  }

  public int subscriberCount(TopicName topic) {
    Set<Entry<H, S>> entries = byTopic.get(topic);
    return entries == null ? 0 : entries.size();
  }

  /**
   * Adds {@code entry} under {@code key}. A key with one entry (most users, many topics) keeps
   * an immutable {@code Set.of(entry)}, not a concurrent set of its own (~200 bytes less per
   * such user); a second entry turns it into a concurrent set. Readers see one or the other.
   */
  private static <K, H, S> void index(Map<K, Set<Entry<H, S>>> index, K key,
      Entry<H, S> entry) {
    index.compute(key, (k, set) -> {
      if (set == null) {
        return Set.of(entry);
      }
      if (set instanceof ConcurrentHashMap.KeySetView<?, ?>) {
        set.add(entry);
        return set;
      }
      Set<Entry<H, S>> grown = ConcurrentHashMap.newKeySet();
      grown.addAll(set);
      grown.add(entry);
      return grown;
    });
  }

  private static <K, H, S> void unindex(Map<K, Set<Entry<H, S>>> index, K key,
      Entry<H, S> entry) {
    // compute keeps add and remove of one key atomic, so an emptied set never swallows an add
    index.computeIfPresent(key, (k, set) -> {
      if (!(set instanceof ConcurrentHashMap.KeySetView<?, ?>)) {
        return set.contains(entry) ? null : set; // the single-entry set
      }
      set.remove(entry);
      return set.isEmpty() ? null : set;
    });
  }

  /** Identity-equal on purpose: sets of entries hold each registration once. */
  private static final class Entry<H, S> {
    volatile Connection connection;
    final H handle;
    final Map<TopicName, S> topics = new ConcurrentHashMap<>();
    volatile boolean removed;

    Entry(Connection connection, H handle) {
      this.connection = connection;
      this.handle = handle;
    }
  }
}
