package io.realtime.port.in;

/**
 * Every use case a driver of one node may call, in one interface: what a transport, the HTTP
 * API or a host service is handed instead of eight separate ports. The core implements it.
 */
public interface RealtimeUseCases {
  OpenConnectionUseCase openConnection();

  AuthenticateUseCase authenticate();

  PublishMessageUseCase publish();

  KickConnectionUseCase kick();

  SubscribeConnectionUseCase subscribeConnection();

  QueryPresenceUseCase presence();

  QueryStatsUseCase stats();

  DrainConnectionsUseCase drain();

  /** The state of the link to the other nodes; {@link BackplaneStatus#LOCAL} on one node. */
  default BackplaneStatus backplane() {
    return BackplaneStatus.LOCAL;
  }
}
