package dev.wsinfra.samples.outage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.wsinfra.samples.SamplesApplication;
import dev.wsinfra.samples.testsupport.RedisSample;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The sample started with the Redis module on while nothing answers at Redis's address:
 * as scaling.md promises, it fails fast instead of running half-connected, naming the
 * manager and the address it could not reach, and leaves nothing listening.
 */
class RedisUnreachableAtStartUpIntegrationTests {

	@Test // #14
	void theApplicationFailsToStartNamingRedisAndItsAddressAndFreesItsPort() {
		int redisPort = freePort();
		int httpPort = freePort();
		List<String> arguments = new ArrayList<>(RedisSample.arguments(redisPort, RedisSample.newPrefix()));
		arguments.add("--server.port=" + httpPort);
		long started = System.nanoTime();
		Throwable failure = catchThrowable(
				() -> new SpringApplicationBuilder(SamplesApplication.class).run(arguments.toArray(String[]::new))
					.close());
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		assertThat(failure).as("start-up without Redis").isNotNull();
		assertThat(messages(failure)).as("the failure's causes")
			.anyMatch((message) -> message.contains("redisConnectionManager"))
			.anyMatch((message) -> message.contains("127.0.0.1") && message.contains(":" + redisPort));
		// The sample waits ws.redis.command-timeout (2 s) for Redis; the rest is the
		// start-up of the application itself on a slow machine.
		assertThat(took).isLessThan(Duration.ofSeconds(60));
		assertThatExceptionOfType(ConnectException.class)
			.isThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), httpPort).close());
	}

	private static List<String> messages(Throwable failure) {
		List<String> messages = new ArrayList<>();
		for (Throwable cause = failure; cause != null && messages.size() < 50; cause = cause.getCause()) {
			messages.add(String.valueOf(cause.getMessage()));
		}
		return messages;
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
