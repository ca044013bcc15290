package dev.wsinfra.server;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/**
 * A {@link RecordingSession} that exposes a Jakarta WebSocket session, so that the
 * manager writes to it as to a container's: blocking writes with batching, and
 * asynchronous ones. The end of a batch can be held, to stop a writer between the last
 * write of a drain and the end of that drain.
 */
class NativeRecordingSession extends RecordingSession implements NativeWebSocketSession {

	private final Map<String, Object> userProperties = new ConcurrentHashMap<>();

	private final Session nativeSession;

	private volatile @Nullable CountDownLatch flushReached;

	private volatile @Nullable CountDownLatch flushReleased;

	private volatile @Nullable Executor completer;

	NativeRecordingSession() {
		RemoteEndpoint.Basic basic = proxy(RemoteEndpoint.Basic.class, (method, args) -> {
			switch (method) {
				case "sendText" -> sendMessage(new TextMessage((String) args[0]));
				case "sendBinary" -> sendMessage(new BinaryMessage((ByteBuffer) args[0]));
				case "sendPing" -> sendMessage(new PingMessage((ByteBuffer) args[0]));
				case "setBatchingAllowed" -> {
					if (!((Boolean) args[0])) {
						endOfBatch();
					}
				}
				default -> throw new UnsupportedOperationException(method);
			}
			return null;
		});
		RemoteEndpoint.Async async = proxy(RemoteEndpoint.Async.class, (method, args) -> {
			switch (method) {
				case "setSendTimeout" -> {
				}
				case "sendText" -> sendAsync(new TextMessage((String) args[0]), (SendHandler) args[1]);
				case "sendBinary" -> sendAsync(new BinaryMessage((ByteBuffer) args[0]), (SendHandler) args[1]);
				default -> throw new UnsupportedOperationException(method);
			}
			return null;
		});
		this.nativeSession = proxy(Session.class, (method, args) -> switch (method) {
			case "getBasicRemote" -> basic;
			case "getAsyncRemote" -> async;
			case "getUserProperties" -> this.userProperties;
			default -> throw new UnsupportedOperationException(method);
		});
	}

	/**
	 * Makes the next end of a batch wait until {@link #releaseFlush()}.
	 * @return a latch counted down when a writer reaches it
	 */
	CountDownLatch holdNextFlush() {
		CountDownLatch reached = new CountDownLatch(1);
		this.flushReleased = new CountDownLatch(1);
		this.flushReached = reached;
		return reached;
	}

	void releaseFlush() {
		CountDownLatch released = this.flushReleased;
		if (released != null) {
			released.countDown();
		}
	}

	private void endOfBatch() throws InterruptedException {
		CountDownLatch reached = this.flushReached;
		CountDownLatch released = this.flushReleased;
		if (reached != null && released != null) {
			this.flushReached = null;
			reached.countDown();
			released.await(30, TimeUnit.SECONDS);
		}
	}

	/**
	 * Makes asynchronous writes report their completion through the given executor, as a
	 * container does from another of its threads, instead of before they return.
	 * @param completer runs the completions, or {@code null} to complete inline again
	 */
	void completeAsyncWritesOn(@Nullable Executor completer) {
		this.completer = completer;
	}

	private void sendAsync(WebSocketMessage<?> message, SendHandler handler) {
		SendResult result;
		try {
			sendMessage(message);
			result = new SendResult(this.nativeSession);
		}
		catch (IOException ex) {
			result = new SendResult(this.nativeSession, ex);
		}
		Executor completer = this.completer;
		if (completer == null) {
			handler.onResult(result);
			return;
		}
		SendResult completion = result;
		completer.execute(() -> handler.onResult(completion));
	}

	@Override
	public Object getNativeSession() {
		return this.nativeSession;
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T getNativeSession(@Nullable Class<T> requiredType) {
		return (requiredType == null || requiredType.isInstance(this.nativeSession)) ? (T) this.nativeSession : null;
	}

	@SuppressWarnings("unchecked")
	private static <T> T proxy(Class<T> type, Calls calls) {
		return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type },
				(proxy, method, args) -> calls.call(method.getName(), (args != null) ? args : new Object[0]));
	}

	@FunctionalInterface
	private interface Calls {

		@Nullable Object call(String method, Object[] args) throws Exception;

	}

}
