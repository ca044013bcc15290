package dev.wsinfra.integration;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.wsinfra.testsupport.TestTokens;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The shared real-server test setup: {@link TestApplication} on a random port with one
 * set of properties, so that the test classes using it share one application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ws.auth.jwt.secret=" + TestTokens.SECRET, "ws.auth.jwt.issuer-uri=" + TestTokens.ISSUER,
				"ws.auth.jwt.audiences=" + TestTokens.AUDIENCE, "ws.auth.jwt.clock-skew=0s",
				"ws.max-connections-per-user=3", "ws.max-message-size=64KB", "ws.max-bad-messages=3",
				"ws.outbound-queue-limit=32", "ws.ping-interval=1s", "ws.ping-timeout=2s",
				"ws.allowed-origins=https://allowed.test", "ws.instance-id=test-instance", "ws.requests.timeout=1s",
				"ws.requests.max-pending=3", "ws.requests.presence-rooms=lobby:*,exact",
				"management.endpoints.web.exposure.include=health,prometheus,websocket",
				"management.endpoint.health.show-details=always" })
@interface WsIntegrationTest {

}
