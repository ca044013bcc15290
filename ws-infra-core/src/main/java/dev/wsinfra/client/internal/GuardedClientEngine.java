package dev.wsinfra.client.internal;

import jakarta.websocket.CloseReason;
import org.glassfish.tyrus.spi.ClientEngine;
import org.glassfish.tyrus.spi.Connection;
import org.glassfish.tyrus.spi.ReadHandler;
import org.glassfish.tyrus.spi.UpgradeRequest;
import org.glassfish.tyrus.spi.UpgradeResponse;
import org.glassfish.tyrus.spi.Writer;

/**
 * Tyrus's client engine, reporting handshake responses to the {@link TransportControl}
 * and wrapping the upgraded connection's read handler in its frame guard.
 */
final class GuardedClientEngine implements ClientEngine {

	private final ClientEngine delegate;

	private final TransportControl control;

	GuardedClientEngine(ClientEngine delegate, TransportControl control) {
		this.delegate = delegate;
		this.control = control;
	}

	@Override
	public UpgradeRequest createUpgradeRequest(TimeoutHandler timeoutHandler) {
		return this.delegate.createUpgradeRequest(timeoutHandler);
	}

	@Override
	public ClientUpgradeInfo processResponse(UpgradeResponse response, Writer writer,
			Connection.CloseListener closeListener) {
		this.control.responded(response);
		ClientUpgradeInfo info = this.delegate.processResponse(response, writer, closeListener);
		if (info.getUpgradeStatus() != ClientUpgradeStatus.SUCCESS) {
			return info;
		}
		return new ClientUpgradeInfo() {

			@Override
			public ClientUpgradeStatus getUpgradeStatus() {
				return ClientUpgradeStatus.SUCCESS;
			}

			@Override
			public Connection createConnection() {
				Connection connection = info.createConnection();
				return new GuardedConnection(connection, GuardedClientEngine.this.control.attach(connection, writer));
			}

		};
	}

	@Override
	public void processError(Throwable error) {
		this.delegate.processError(error);
	}

	private record GuardedConnection(Connection delegate, ReadHandler guard) implements Connection {

		@Override
		public ReadHandler getReadHandler() {
			return this.guard;
		}

		@Override
		public Writer getWriter() {
			return this.delegate.getWriter();
		}

		@Override
		public CloseListener getCloseListener() {
			return this.delegate.getCloseListener();
		}

		@Override
		public void close(CloseReason reason) {
			this.delegate.close(reason);
		}

	}

}
