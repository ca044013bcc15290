package dev.wsinfra.client.internal;

import java.nio.ByteBuffer;

import org.glassfish.tyrus.spi.ReadHandler;
import org.jspecify.annotations.Nullable;

/**
 * Sits between the socket and Tyrus's frame parser and reads every frame header first.
 * <ul>
 * <li>It enforces the message size limit on the lengths that headers declare, so a
 * message over the limit is refused before its payload is buffered, whether it comes as
 * one frame or as many fragments.</li>
 * <li>It checks text messages as valid UTF-8 as their bytes arrive, so a message that
 * turns invalid is refused at the offending byte, not once its last frame is
 * complete.</li>
 * <li>It refuses a masked frame: only clients mask (RFC 6455, 5.1).</li>
 * <li>It collects a frame larger than {@value #AGGREGATION_THRESHOLD} bytes whole before
 * Tyrus sees it: Tyrus copies its whole buffer on every read while a frame is incomplete,
 * which is quadratic in the frame size (a 16 MiB frame arrives in thousands of
 * reads).</li>
 * <li>Once the client is closing, it passes nothing on and reports the peer's close
 * frame, so that the client runs the close handshake itself: Tyrus would close the TCP
 * connection right after sending its own close frame.</li>
 * </ul>
 * Only the transport's reading thread calls {@link #handle}; {@link #startClosing()} may
 * be called from any thread.
 */
public final class FrameGuard implements ReadHandler {

	/** Frames larger than this, header included, reach Tyrus in one piece. */
	static final int AGGREGATION_THRESHOLD = 64 * 1024;

	/**
	 * What the guard reports, on the reading thread.
	 */
	public interface Events {

		/**
		 * Called once when a data message is found to exceed the limit; the guard is
		 * closing from then on and passes nothing more to Tyrus.
		 * @param size the bytes of the message declared so far
		 */
		void messageTooLarge(long size);

		/**
		 * Called once when a frame breaks the protocol: a text message at its first byte
		 * that is not valid UTF-8 (1007), a masked frame (1002). The guard is closing
		 * from then on and passes nothing more to Tyrus; what follows may not parse, so
		 * the connection is to be failed without waiting for the peer's close.
		 * @param code the close code to fail the connection with
		 * @param reason the close reason
		 */
		void invalidFrame(int code, String reason);

		/**
		 * Called once when the peer's close frame arrives while the guard is closing.
		 * @param code the peer's close code, 1005 when it sent none
		 * @param reason the peer's reason, empty when it sent none
		 */
		void peerClosed(int code, String reason);

	}

	private enum Action {

		FORWARD, AGGREGATE, DROP, COLLECT_CLOSE

	}

	private final ReadHandler delegate;

	private final long maxMessageSize;

	private final Events events;

	// The fields below belong to the reading thread.

	private final ByteBuffer header = ByteBuffer.allocate(Frames.MAX_HEADER_LENGTH);

	private boolean inPayload;

	private long payloadRemaining;

	private Action action = Action.FORWARD;

	private long messageSize;

	private @Nullable ByteBuffer aggregate;

	private @Nullable ByteBuffer closePayload;

	private final byte[] mask = new byte[4];

	private boolean masked;

	private boolean finalFrame;

	// Whether the message whose frames arrive is text, and whether this frame's payload
	// is checked.
	private boolean textMessage;

	// Whether the message is compressed (RSV1 on its first frame, permessage-deflate):
	// its text is checked by Tyrus once inflated, not here.
	private boolean compressedMessage;

	private boolean checkingText;

	private final Utf8Validator text = new Utf8Validator();

	private int refusalCode;

	private String refusalReason = "";

	private boolean peerCloseReported;

	private long tooLargeSize;

	// Written by any thread, read by the reading thread.
	private volatile boolean closing;

	/**
	 * Creates a guard in front of Tyrus's read handler.
	 * @param delegate Tyrus's handler
	 * @param maxMessageSize the largest data message accepted, in bytes
	 * @param events where to report
	 */
	public FrameGuard(ReadHandler delegate, long maxMessageSize, Events events) {
		this.delegate = delegate;
		this.maxMessageSize = maxMessageSize;
		this.events = events;
	}

	/**
	 * Stops passing frames to Tyrus and starts watching for the peer's close frame.
	 */
	public void startClosing() {
		this.closing = true;
	}

	@Override
	public void handle(ByteBuffer data) {
		int forwardFrom = -1;
		while (data.hasRemaining()) {
			if (this.closing && this.inPayload && (this.action == Action.FORWARD || this.action == Action.AGGREGATE)) {
				forwardFrom = flush(data, forwardFrom);
				this.aggregate = null;
				this.action = Action.DROP;
				this.checkingText = false;
			}
			if (!this.inPayload) {
				forwardFrom = readHeader(data, forwardFrom);
				continue;
			}
			int count = (int) Math.min(data.remaining(), this.payloadRemaining);
			if (this.checkingText && !checkText(data, count)) {
				// the bytes before this run reach Tyrus first, then the failure
				forwardFrom = flush(data, forwardFrom);
				refuse(1007, "Invalid UTF-8");
				reportRefusal();
			}
			switch (this.action) {
				case FORWARD -> {
					forwardFrom = (forwardFrom < 0) ? data.position() : forwardFrom;
					data.position(data.position() + count);
				}
				case AGGREGATE -> copy(data, count, this.aggregate);
				case COLLECT_CLOSE -> copy(data, count, this.closePayload);
				case DROP -> data.position(data.position() + count);
			}
			this.payloadRemaining -= count;
			if (this.payloadRemaining == 0) {
				endFrame();
			}
		}
		flush(data, forwardFrom);
	}

	private int readHeader(ByteBuffer data, int forwardFrom) {
		int start = data.position();
		if (this.header.position() == 0 && data.remaining() >= 2
				&& data.remaining() >= Frames.headerLength(data.get(start + 1))) {
			int length = Frames.headerLength(data.get(start + 1));
			Action next = startFrame(data, start, length);
			if (next == Action.FORWARD) {
				data.position(start + length);
				endEmptyFrame();
				return (forwardFrom < 0) ? start : forwardFrom;
			}
			int flushed = flush(data, forwardFrom);
			reportRefusal();
			ByteBuffer headerBytes = data.duplicate().limit(start + length);
			data.position(start + length);
			begin(next, headerBytes);
			return flushed;
		}
		int flushed = flush(data, forwardFrom);
		while (data.hasRemaining()
				&& (this.header.position() < 2 || this.header.position() < Frames.headerLength(this.header.get(1)))) {
			this.header.put(data.get());
		}
		if (this.header.position() >= 2 && this.header.position() == Frames.headerLength(this.header.get(1))) {
			ByteBuffer headerBytes = this.header.flip();
			Action next = startFrame(headerBytes, 0, headerBytes.limit());
			reportRefusal();
			if (next == Action.FORWARD) {
				this.delegate.handle(headerBytes);
				endEmptyFrame();
			}
			else {
				begin(next, headerBytes);
			}
			this.header.clear();
		}
		return flushed;
	}

	/** Reads the header at {@code start} and decides what becomes of the frame. */
	private Action startFrame(ByteBuffer buffer, int start, int headerLength) {
		int opcode = buffer.get(start) & 0x0F;
		int length7 = buffer.get(start + 1) & 0x7F;
		long length = length7;
		if (length7 == 126) {
			length = ((buffer.get(start + 2) & 0xFFL) << 8) | (buffer.get(start + 3) & 0xFFL);
		}
		else if (length7 == 127) {
			length = 0;
			for (int i = 0; i < 8; i++) {
				length = (length << 8) | (buffer.get(start + 2 + i) & 0xFFL);
			}
			length = (length < 0) ? Long.MAX_VALUE : length;
		}
		this.masked = (buffer.get(start + 1) & 0x80) != 0;
		if (this.masked) {
			for (int i = 0; i < 4; i++) {
				this.mask[i] = buffer.get(start + headerLength - 4 + i);
			}
		}
		this.finalFrame = (buffer.get(start) & 0x80) != 0;
		this.inPayload = true;
		this.payloadRemaining = length;
		boolean compressed = (buffer.get(start) & 0x40) != 0;
		this.action = decide(opcode, compressed, length, headerLength);
		return this.action;
	}

	private Action decide(int opcode, boolean compressed, long length, int headerLength) {
		boolean control = (opcode & 0x8) != 0;
		this.checkingText = false;
		if (this.closing) {
			return (opcode == Frames.CLOSE && length <= 125) ? Action.COLLECT_CLOSE : Action.DROP;
		}
		if (this.masked) {
			refuse(1002, "Masked frame");
			return Action.DROP;
		}
		if (control) {
			return Action.FORWARD;
		}
		this.messageSize = (opcode == Frames.CONTINUATION) ? saturatedAdd(this.messageSize, length) : length;
		if (this.messageSize > this.maxMessageSize) {
			// reported once the bytes before this frame have reached Tyrus, so that the
			// messages they complete come before the failure
			this.closing = true;
			this.tooLargeSize = this.messageSize;
			return Action.DROP;
		}
		if (opcode != Frames.CONTINUATION) {
			this.textMessage = (opcode == Frames.TEXT);
			this.compressedMessage = compressed;
			this.text.reset();
		}
		this.checkingText = this.textMessage && !this.compressedMessage;
		if (this.checkingText && length == 0 && this.finalFrame && !this.text.isComplete()) {
			refuse(1007, "Invalid UTF-8");
			return Action.DROP;
		}
		return (headerLength + length > AGGREGATION_THRESHOLD) ? Action.AGGREGATE : Action.FORWARD;
	}

	/**
	 * Checks the next {@code count} payload bytes of a text message, and its end if they
	 * end it.
	 */
	private boolean checkText(ByteBuffer data, int count) {
		int from = data.position();
		if (!this.text.accept(data, from, from + count)) {
			return false;
		}
		return !(this.finalFrame && count == this.payloadRemaining) || this.text.isComplete();
	}

	/** Refuses the frame being read: nothing more reaches Tyrus. */
	private void refuse(int code, String reason) {
		this.closing = true;
		this.checkingText = false;
		this.refusalCode = code;
		this.refusalReason = reason;
		this.aggregate = null;
		this.action = Action.DROP;
	}

	/**
	 * Reports a refusal decided while reading, once the bytes before it have reached
	 * Tyrus.
	 */
	private void reportRefusal() {
		if (this.tooLargeSize > 0) {
			long size = this.tooLargeSize;
			this.tooLargeSize = 0;
			this.events.messageTooLarge(size);
		}
		if (this.refusalCode != 0) {
			int code = this.refusalCode;
			this.refusalCode = 0;
			this.events.invalidFrame(code, this.refusalReason);
		}
	}

	private void endEmptyFrame() {
		if (this.payloadRemaining == 0) {
			endFrame();
		}
	}

	private void begin(Action next, ByteBuffer headerBytes) {
		if (next == Action.AGGREGATE) {
			this.aggregate = ByteBuffer.allocate(Math.toIntExact(headerBytes.remaining() + this.payloadRemaining));
			this.aggregate.put(headerBytes);
		}
		else if (next == Action.COLLECT_CLOSE) {
			this.closePayload = ByteBuffer.allocate((int) this.payloadRemaining);
		}
		if (this.payloadRemaining == 0) {
			endFrame();
		}
	}

	private void endFrame() {
		if (this.action == Action.AGGREGATE && this.aggregate != null) {
			ByteBuffer whole = this.aggregate.flip();
			this.aggregate = null;
			this.delegate.handle(whole);
		}
		else if (this.action == Action.COLLECT_CLOSE && this.closePayload != null) {
			reportPeerClose(this.closePayload.array());
			this.closePayload = null;
		}
		this.inPayload = false;
		this.action = Action.FORWARD;
	}

	private void reportPeerClose(byte[] payload) {
		if (this.masked) {
			for (int i = 0; i < payload.length; i++) {
				payload[i] ^= this.mask[i % 4];
			}
		}
		if (!this.peerCloseReported) {
			this.peerCloseReported = true;
			this.events.peerClosed(Frames.closeCode(payload), Frames.closeReason(payload));
		}
	}

	/** Passes bytes from {@code forwardFrom} to the current position on to Tyrus. */
	private int flush(ByteBuffer data, int forwardFrom) {
		if (forwardFrom >= 0 && forwardFrom < data.position()) {
			this.delegate.handle(data.duplicate().limit(data.position()).position(forwardFrom));
		}
		return -1;
	}

	private static void copy(ByteBuffer data, int count, @Nullable ByteBuffer target) {
		ByteBuffer part = data.duplicate().limit(data.position() + count);
		if (target != null) {
			target.put(part);
		}
		data.position(data.position() + count);
	}

	private static long saturatedAdd(long a, long b) {
		long sum = a + b;
		return (sum < 0) ? Long.MAX_VALUE : sum;
	}

}
