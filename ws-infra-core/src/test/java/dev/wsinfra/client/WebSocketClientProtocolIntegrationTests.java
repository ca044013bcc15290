package dev.wsinfra.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import dev.wsinfra.ConnectionClosedException;
import dev.wsinfra.MessageTooLargeException;
import dev.wsinfra.config.WebSocketConfig;
import dev.wsinfra.testsupport.RawConnection;
import dev.wsinfra.testsupport.RawServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The client against a server that breaks RFC 6455: frames a conformance suite such as
 * Autobahn sends, written byte for byte by a hand-written server on loopback.
 */
class WebSocketClientProtocolIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	// well below every timeout of the client and of the raw server
	private static final Duration PROMPTLY = Duration.ofSeconds(5);

	private static final int MIB = 1024 * 1024;

	private static final WebSocketConfig CONFIG = WebSocketConfig.builder()
		.openTimeout(Duration.ofSeconds(20))
		.closeTimeout(Duration.ofSeconds(30))
		.pingInterval(null)
		.reconnectEnabled(false)
		.build();

	private static final byte[] INVALID_UTF8 = { (byte) 0xC0, (byte) 0xAF };

	private final CompletableFuture<RawConnection.Frame> closeFrame = new CompletableFuture<>();

	private RawServer server;

	@AfterEach
	void stopServer() throws IOException {
		if (this.server != null) {
			this.server.close();
		}
	}

	private WebSocketClient.Builder client(WebSocketConfig config) {
		return WebSocketClient.builder(this.server.uri("/ws")).config(config);
	}

	/** Answers the client's close frame and waits for the client to close TCP. */
	private void answerClose(RawConnection connection) throws IOException {
		RawConnection.Frame close = connection.readUntil(0x8);
		this.closeFrame.complete(close);
		connection.sendClose(close.closeCode(), "");
		connection.readsEndOfStream();
	}

	/** Ways to send a text message that is invalid UTF-8 early and then stall. */
	enum InvalidText {

		/** Large enough for the client to collect it whole; header and first 64 bytes sent. */
		LARGE_FRAME {
			@Override
			byte[] sent() {
				return Arrays.copyOf(RawConnection.frame(true, 0x1, invalidAt(10, MIB)), 10 + 64);
			}
		},

		/** A frame the client passes on as it comes; header and first 64 bytes sent. */
		SMALL_FRAME {
			@Override
			byte[] sent() {
				return Arrays.copyOf(RawConnection.frame(true, 0x1, invalidAt(10, 1000)), 4 + 64);
			}
		},

		/** A whole first fragment, and no more. */
		FIRST_FRAGMENT {
			@Override
			byte[] sent() {
				return RawConnection.frame(false, 0x1, invalidAt(3, 20));
			}
		},

		/** A valid first fragment, then the start of an invalid large second one. */
		LATER_FRAGMENT {
			@Override
			byte[] sent() {
				byte[] first = RawConnection.frame(false, 0x1, "valid".getBytes(StandardCharsets.UTF_8));
				byte[] second = RawConnection.frame(true, 0x0, invalidAt(10, MIB));
				return concat(first, Arrays.copyOf(second, 10 + 64));
			}
		},

		/** A sequence that starts in one fragment and goes wrong in the next. */
		SEQUENCE_ACROSS_FRAGMENTS {
			@Override
			byte[] sent() {
				byte[] first = RawConnection.frame(false, 0x1, new byte[] { 'a', (byte) 0xE2, (byte) 0x82 });
				byte[] second = RawConnection.frame(true, 0x0, new byte[] { '(', 'b', 'c' });
				return concat(first, Arrays.copyOf(second, 3));
			}
		};

		abstract byte[] sent();

	}

	@ParameterizedTest // #11
	@EnumSource
	void invalidUtf8IsRefusedWith1007AsSoonAsTheOffendingByteArrives(InvalidText invalid) throws Exception {
		this.server = RawServer.start((connection) -> {
			connection.accept();
			connection.write(invalid.sent());
			answerClose(connection);
		});
		try (WebSocketClient client = client(CONFIG.toBuilder().maxMessageSize(2 * MIB).build()).open()) {
			await().atMost(PROMPTLY).until(this.closeFrame::isDone);
			assertThat(this.closeFrame.get().closeCode()).isEqualTo(1007);
			assertThatExceptionOfType(ConnectionClosedException.class).isThrownBy(client::recv)
				.satisfies((ex) -> assertThat(ex.code()).isEqualTo(1007));
		}
	}

	@Test // #11
	void aMessageOverTheLimitIsRefusedWithoutLoggingAStackTraceWhenTheServerResets() throws Exception {
		List<LogRecord> records = new CopyOnWriteArrayList<>();
		Handler handler = new Handler() {

			@Override
			public void publish(LogRecord record) {
				records.add(record);
			}

			@Override
			public void flush() {
			}

			@Override
			public void close() {
			}

		};
		Logger root = Logger.getLogger("");
		root.addHandler(handler);
		try {
			this.server = RawServer.start((connection) -> {
				connection.accept();
				connection.sendFrame(true, 0x2, new byte[2 * MIB]);
				this.closeFrame.complete(connection.readUntil(0x8));
				// a server that resets the connection instead of answering the close
				connection.drop();
			});
			try (WebSocketClient client = client(CONFIG.toBuilder().maxMessageSize(MIB).build()).open()) {
				assertThatExceptionOfType(MessageTooLargeException.class).isThrownBy(client::recv);
				assertThatExceptionOfType(ConnectionClosedException.class).isThrownBy(client::recv)
					.satisfies((ex) -> assertThat(ex.code()).isEqualTo(1009));
			}
			this.server.close();
			this.server = null;
		}
		finally {
			root.removeHandler(handler);
		}
		assertThat(this.closeFrame.get(WAIT.toSeconds(), TimeUnit.SECONDS).closeCode()).isEqualTo(1009);
		assertThat(records)
			.filteredOn((record) -> record.getLevel().intValue() >= Level.WARNING.intValue()
					|| record.getThrown() != null)
			.extracting((record) -> record.getLevel() + " " + record.getLoggerName() + ": " + record.getMessage())
			.isEmpty();
	}

	private static byte[] invalidAt(int index, int length) {
		byte[] payload = new byte[length];
		Arrays.fill(payload, (byte) 'x');
		System.arraycopy(INVALID_UTF8, 0, payload, index, INVALID_UTF8.length);
		return payload;
	}

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

}
