package io.realtime.core;

import static io.realtime.core.CoreFixture.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.realtime.port.out.AuthFailure;
import io.realtime.port.out.TokenCheck;
import io.realtime.port.out.UserCheck;
import io.realtime.port.out.UserDirectory;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthenticationServiceTest {
  private final FakeTokenVerifier verifier = new FakeTokenVerifier().accept("good", user("alice"))
      .accept("disabled", user("mallory"));
  private final RecordingEvents events = new RecordingEvents();

  @Test
  void emptyTokenIsMissing() {
    var auth = new AuthenticationService(verifier, UserDirectory.trustToken(), events);
    var invalid = assertInstanceOf(TokenCheck.Invalid.class, auth.authenticate(""));
    assertEquals(AuthFailure.MISSING, invalid.reason());
    assertEquals(java.util.List.of("auth:missing"), events.all());
  }

  @Test
  void userModuleMayVetoOrEnrich() {
    UserDirectory directory = p -> p.user().value().equals("mallory")
        ? new UserCheck.Denied("account disabled")
        : new UserCheck.Allowed(p.withRoles(Set.of("from-db")));
    var auth = new AuthenticationService(verifier, directory, events);
    var valid = assertInstanceOf(TokenCheck.Valid.class, auth.authenticate("good"));
    assertEquals(Set.of("from-db"), valid.principal().roles());
    var vetoed = assertInstanceOf(TokenCheck.Invalid.class, auth.authenticate("disabled"));
    assertEquals(AuthFailure.USER_REJECTED, vetoed.reason());
    assertEquals("account disabled", vetoed.detail());
  }

  @Test
  void aThrowingUserModuleKeepsTheUserOut() {
    var auth = new AuthenticationService(verifier, p -> {
      throw new IllegalStateException("directory down");
    }, events);
    var invalid = assertInstanceOf(TokenCheck.Invalid.class, auth.authenticate("good"));
    assertEquals(AuthFailure.USER_REJECTED, invalid.reason());
  }

  @Test
  void aThrowingVerifierIsARefusalNotACrash() {
    var auth = new AuthenticationService(t -> {
      throw new IllegalStateException("bug");
    }, UserDirectory.trustToken(), events);
    assertInstanceOf(TokenCheck.Invalid.class, auth.authenticate("x"));
  }
}
