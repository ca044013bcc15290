package dev.wsinfra.server;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URI;
import java.net.URL;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Writes text messages that are already encoded to UTF-8 through Tomcat's own remote
 * endpoint, each as one frame, whatever its size.
 * <p>
 * The Jakarta API takes text as a {@code String}: Tomcat encodes it again for every
 * recipient, into a buffer of its {@code DEFAULT_BUFFER_SIZE}, and writes a message
 * larger than that buffer as several frames. Tomcat's endpoint also has a method that
 * writes one frame from a ready payload; it applies the negotiated extensions
 * (permessage-deflate), takes the endpoint's frame lock and honours the blocking send
 * timeout, as its {@code String} methods do, and this class keeps its message state
 * machine as they do. That method is not API, so it is used only with the Tomcat versions
 * listed in {@link #PROVEN_VERSIONS}, whose source was read and which the tests ran
 * against; with any other version, or when the method cannot be found, {@link #of}
 * returns {@code null} and the session is written through the Jakarta API.
 */
final class TomcatFrames {

	/**
	 * The versions of Tomcat's WebSocket implementation this class was proven on; the
	 * tests fail when the one on their class path is not among them. To prove another,
	 * read its {@code WsRemoteEndpointImplBase}, pin the three {@code tomcat-embed}
	 * artifacts to it in the root pom's dependency management, make it the only version
	 * here, and run {@code TomcatFramesTests} and {@code TomcatFramesIntegrationTests}.
	 */
	static final Set<String> PROVEN_VERSIONS = Set.of("11.0.22", "11.0.23", "11.0.24", "11.0.25");

	private static final Log logger = LogFactory.getLog(TomcatFrames.class);

	private static final byte OPCODE_TEXT = 0x01;

	private static final @Nullable Binding BINDING = Binding.find(TomcatFrames.class.getClassLoader(), PROVEN_VERSIONS);

	// The binding's handles as constants, which the JIT compiles as direct calls; null
	// when there is no binding, and then no instance either.
	private static final MethodHandle TEXT_START = (BINDING != null) ? BINDING.textStart : null;

	private static final MethodHandle COMPLETE = (BINDING != null) ? BINDING.complete : null;

	private static final MethodHandle SEND_MESSAGE_BLOCK = (BINDING != null) ? BINDING.sendMessageBlock : null;

	private static final MethodHandle START_MESSAGE = (BINDING != null) ? BINDING.startMessage : null;

	private final Object endpoint;

	private final Object stateMachine;

	private final long blockingTimeoutMillis;

	// Set before each asynchronous write, read by its completion; one at a time.
	private volatile @Nullable SendHandler handler;

	private final SendHandler completion = this::completed;

	private TomcatFrames(Object endpoint, Object stateMachine, long blockingTimeoutMillis) {
		this.endpoint = endpoint;
		this.stateMachine = stateMachine;
		this.blockingTimeoutMillis = blockingTimeoutMillis;
	}

	/**
	 * Returns the frame writer of a Tomcat session of a proven version.
	 * @param session the session
	 * @param blockingTimeoutMillis how long a blocking write may take
	 * @return the writer, or {@code null} to write through the Jakarta API
	 */
	static @Nullable TomcatFrames of(Session session, long blockingTimeoutMillis) {
		Binding binding = BINDING;
		if (binding == null) {
			return null;
		}
		RemoteEndpoint.Basic basic = session.getBasicRemote();
		if (!binding.remoteEndpointBase.isInstance(basic)) {
			// Not Tomcat's session, or another copy of Tomcat than the one bound.
			return null;
		}
		try {
			Object endpoint = binding.endpoint.invokeExact((Object) basic);
			Object stateMachine = binding.stateMachine.invokeExact(endpoint);
			return new TomcatFrames(endpoint, stateMachine, blockingTimeoutMillis);
		}
		catch (Throwable ex) {
			logger.debug("Cannot reach Tomcat's endpoint of session " + session.getId(), ex);
			return null;
		}
	}

	/**
	 * Returns the binding to the Tomcat on this class's class path, {@code null} when
	 * there is none or its version was not proven.
	 */
	static @Nullable Binding binding() {
		return BINDING;
	}

	/**
	 * Returns the size of Tomcat's output buffer, through which a batched frame is
	 * copied.
	 * @return the size in bytes
	 */
	int outputBufferSize() {
		return BINDING.outputBufferSize;
	}

	/**
	 * Writes a text frame, blocking until it is written or the blocking timeout passed.
	 * @param payload the UTF-8 payload, consumed
	 * @throws IOException if the write failed or timed out; Tomcat then closes the
	 * session
	 */
	void write(ByteBuffer payload) throws IOException {
		try {
			TEXT_START.invokeExact(this.stateMachine);
			SEND_MESSAGE_BLOCK.invokeExact(this.endpoint, OPCODE_TEXT, payload, true, this.blockingTimeoutMillis);
			COMPLETE.invokeExact(this.stateMachine, true);
		}
		catch (IOException | RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Starts writing a text frame without blocking.
	 * @param payload the UTF-8 payload, which must stay untouched until the handler is
	 * told
	 * @param handler told once when the write completed or failed
	 */
	void writeAsync(ByteBuffer payload, SendHandler handler) {
		this.handler = handler;
		try {
			TEXT_START.invokeExact(this.stateMachine);
			START_MESSAGE.invokeExact(this.endpoint, OPCODE_TEXT, payload, true, this.completion);
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void completed(SendResult result) {
		if (result.isOK()) {
			try {
				COMPLETE.invokeExact(this.stateMachine, true);
			}
			catch (Throwable ex) {
				result = new SendResult(result.getSession(), ex);
			}
		}
		SendHandler handler = this.handler;
		if (handler != null) {
			handler.onResult(result);
		}
	}

	/**
	 * The methods of one copy of Tomcat's WebSocket classes, resolved once.
	 */
	static final class Binding {

		private static final String PACKAGE = "org.apache.tomcat.websocket.";

		final String version;

		final Class<?> remoteEndpointBase;

		final int outputBufferSize;

		// (Object basicRemote) Object: the remote endpoint implementation
		final MethodHandle endpoint;

		// (Object endpoint) Object: its message state machine
		final MethodHandle stateMachine;

		// (Object stateMachine) void
		final MethodHandle textStart;

		// (Object stateMachine, boolean last) void
		final MethodHandle complete;

		// (Object endpoint, byte opCode, ByteBuffer, boolean last, long timeout) void
		final MethodHandle sendMessageBlock;

		// (Object endpoint, byte opCode, ByteBuffer, boolean last, SendHandler) void
		final MethodHandle startMessage;

		private Binding(String version, ClassLoader classLoader) throws Throwable {
			this.version = version;
			this.remoteEndpointBase = Class.forName(PACKAGE + "WsRemoteEndpointBase", false, classLoader);
			Class<?> implBase = Class.forName(PACKAGE + "WsRemoteEndpointImplBase", false, classLoader);
			Class<?> stateMachineClass = Class.forName(PACKAGE + "WsRemoteEndpointImplBase$StateMachine", false,
					classLoader);
			Class<?> constants = Class.forName(PACKAGE + "Constants", false, classLoader);
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			MethodHandles.Lookup base = MethodHandles.privateLookupIn(this.remoteEndpointBase, lookup);
			MethodHandles.Lookup impl = MethodHandles.privateLookupIn(implBase, lookup);
			MethodHandles.Lookup states = MethodHandles.privateLookupIn(stateMachineClass, lookup);
			this.outputBufferSize = (int) MethodHandles.privateLookupIn(constants, lookup)
				.findStaticGetter(constants, "DEFAULT_BUFFER_SIZE", int.class)
				.invoke();
			this.endpoint = base.findGetter(this.remoteEndpointBase, "base", implBase)
				.asType(MethodType.methodType(Object.class, Object.class));
			this.stateMachine = impl.findGetter(implBase, "stateMachine", stateMachineClass)
				.asType(MethodType.methodType(Object.class, Object.class));
			this.textStart = states.findVirtual(stateMachineClass, "textStart", MethodType.methodType(void.class))
				.asType(MethodType.methodType(void.class, Object.class));
			this.complete = states
				.findVirtual(stateMachineClass, "complete", MethodType.methodType(void.class, boolean.class))
				.asType(MethodType.methodType(void.class, Object.class, boolean.class));
			this.sendMessageBlock = impl
				.findVirtual(implBase, "sendMessageBlock",
						MethodType.methodType(void.class, byte.class, ByteBuffer.class, boolean.class, long.class))
				.asType(MethodType.methodType(void.class, Object.class, byte.class, ByteBuffer.class, boolean.class,
						long.class));
			this.startMessage = impl
				.findVirtual(implBase, "startMessage",
						MethodType.methodType(void.class, byte.class, ByteBuffer.class, boolean.class,
								SendHandler.class))
				.asType(MethodType.methodType(void.class, Object.class, byte.class, ByteBuffer.class, boolean.class,
						SendHandler.class));
		}

		/**
		 * Binds the Tomcat that a class loader sees, if its version is a proven one.
		 * @return the binding, or {@code null}
		 */
		static @Nullable Binding find(@Nullable ClassLoader classLoader, Set<String> provenVersions) {
			String version = version(classLoader);
			if (version == null) {
				return null;
			}
			if (!provenVersions.contains(version)) {
				logger.info("Tomcat " + version + " is not among the versions ws-infra's frame writer was proven on "
						+ provenVersions + "; text messages go through the WebSocket API, which encodes them "
						+ "for each recipient and splits those over Tomcat's buffer size into several frames");
				return null;
			}
			try {
				Binding binding = new Binding(version, classLoader);
				logger.debug("Text frames are written through the endpoint of Tomcat " + version);
				return binding;
			}
			catch (Throwable ex) {
				logger.warn("Cannot bind ws-infra's frame writer to Tomcat " + version
						+ "; text messages go through the WebSocket API", ex);
				return null;
			}
		}

		/**
		 * Returns the version of Tomcat's WebSocket classes, {@code null} when there are
		 * none.
		 */
		static @Nullable String version(@Nullable ClassLoader classLoader) {
			Class<?> session;
			try {
				session = Class.forName(PACKAGE + "WsSession", false, classLoader);
			}
			catch (ClassNotFoundException | LinkageError ex) {
				return null;
			}
			Package pkg = session.getPackage();
			String version = (pkg != null) ? pkg.getImplementationVersion() : null;
			return (version != null) ? version : manifestVersion(session);
		}

		/**
		 * Returns the implementation version in the manifest of the jar that holds a
		 * class, for class loaders that define packages without it, such as Spring Boot's
		 * for nested jars; {@code null} for a class outside a jar.
		 */
		static @Nullable String manifestVersion(Class<?> type) {
			URL resource = type.getResource(type.getSimpleName() + ".class");
			String url = (resource != null) ? resource.toString() : "";
			int end = url.lastIndexOf("!/");
			if (!url.startsWith("jar:") || end < 0) {
				return null;
			}
			try (InputStream manifest = URI.create(url.substring(0, end + 2) + JarFile.MANIFEST_NAME)
				.toURL()
				.openStream()) {
				return new Manifest(manifest).getMainAttributes().getValue(Attributes.Name.IMPLEMENTATION_VERSION);
			}
			catch (IOException | IllegalArgumentException ex) {
				return null;
			}
		}

	}

}
