package io.realtime.adapter.redis;

import io.realtime.domain.TopicName;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Names of every key and channel, all under one prefix ({@code realtime} by default):
 *
 * <ul>
 *   <li>{@code <p>:topic:<topic>}: channel of a topic's positioned messages;
 *   <li>{@code <p>:stream:<topic>} and {@code <p>:meta:<topic>}: its stream (entry id
 *       {@code <offset>-0}) and its epoch and offset counter;
 *   <li>{@code <p>:shared}: channel of broadcast, user and role messages (every node needs
 *       them, and one channel keeps one publisher's order);
 *   <li>{@code <p>:node:<id>}: channel of one node's connection messages and commands;
 *   <li>{@code <p>:probe:<id>}: channel a node probes its own subscription on;
 *   <li>{@code <p>:presence:<topic>}, {@code <p>:presence-exp:<topic>},
 *       {@code <p>:presence-users:<topic>}: connection to node and user, connection to expiry,
 *       user to connection count;
 *   <li>{@code <p>:nodes} and {@code <p>:node-info}: live nodes by last heartbeat, and
 *       their figures by node id;
 *   <li>{@code <p>:idem:<sha-256 of the key>}: an idempotency record.
 * </ul>
 */
final class RedisKeys {
  private final String prefix;
  private final String topicChannelPrefix;

  RedisKeys(String prefix) {
    this.prefix = prefix;
    this.topicChannelPrefix = prefix + ":topic:";
  }

  String topicChannel(TopicName topic) {
    return topicChannelPrefix + topic.value();
  }

  /** The topic of a topic channel, or empty for any other channel. */
  Optional<TopicName> topicOfChannel(String channel) {
    return channel.startsWith(topicChannelPrefix)
        ? TopicName.parse(channel.substring(topicChannelPrefix.length()))
        : Optional.empty();
  }

  String stream(TopicName topic) {
    return prefix + ":stream:" + topic.value();
  }

  String meta(TopicName topic) {
    return prefix + ":meta:" + topic.value();
  }

  String sharedChannel() {
    return prefix + ":shared";
  }

  String nodeChannel(String nodeId) {
    return prefix + ":node:" + nodeId;
  }

  String probeChannel(String nodeId) {
    return prefix + ":probe:" + nodeId;
  }

  String presence(TopicName topic) {
    return prefix + ":presence:" + topic.value();
  }

  String presenceExpiry(TopicName topic) {
    return prefix + ":presence-exp:" + topic.value();
  }

  String presenceUsers(TopicName topic) {
    return prefix + ":presence-users:" + topic.value();
  }

  String nodes() {
    return prefix + ":nodes";
  }

  String nodeInfo() {
    return prefix + ":node-info";
  }

  String idempotency(String key) {
    return prefix + ":idem:" + sha256(key);
  }

  static String sha256(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }
}
