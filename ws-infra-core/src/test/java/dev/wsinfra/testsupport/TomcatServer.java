package dev.wsinfra.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.Map;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;

import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

/**
 * A real embedded Tomcat on a random loopback port, serving one Spring
 * {@link WebSocketHandler} through Spring's own handshake, without Spring Boot.
 */
public final class TomcatServer implements AutoCloseable {

	// Held so that the levels stay set: Tomcat's start-up and leak-check chatter is not
	// what these tests are about.
	private static final java.util.logging.Logger[] QUIET_LOGGERS = quiet("org.apache.catalina", "org.apache.coyote",
			"org.apache.tomcat");

	private final Tomcat tomcat;

	private final Connector connector;

	private final File baseDir;

	private TomcatServer(WebSocketHandler handler, String path, Map<String, String> connectorProperties)
			throws IOException, LifecycleException {
		this.baseDir = Files.createTempDirectory("ws-infra-tomcat").toFile();
		this.tomcat = new Tomcat();
		this.tomcat.setBaseDir(this.baseDir.getAbsolutePath());
		this.connector = new Connector();
		this.connector.setPort(0);
		this.connector.setProperty("address", "127.0.0.1");
		connectorProperties.forEach((name, value) -> {
			if (!this.connector.setProperty(name, value)) {
				throw new IllegalArgumentException("Tomcat's connector has no property " + name);
			}
		});
		this.tomcat.setConnector(this.connector);
		Context context = this.tomcat.addContext("", this.baseDir.getAbsolutePath());
		context.addServletContainerInitializer(new WsSci(), null);
		WebSocketHttpRequestHandler requestHandler = new WebSocketHttpRequestHandler(handler,
				new DefaultHandshakeHandler());
		Tomcat.addServlet(context, "websocket", new HandshakeServlet(requestHandler));
		context.addServletMappingDecoded(path, "websocket");
		this.tomcat.start();
		requestHandler.setServletContext(context.getServletContext());
		requestHandler.start();
	}

	/**
	 * Starts a server with the handler at the given path.
	 * @param handler the handler
	 * @param path the path, such as {@code /ws}
	 * @return the started server
	 * @throws Exception if Tomcat does not start
	 */
	public static TomcatServer start(WebSocketHandler handler, String path) throws Exception {
		return new TomcatServer(handler, path, Map.of());
	}

	/**
	 * Starts a server with the handler at the given path and connector properties, such
	 * as {@code socket.txBufSize}.
	 * @param handler the handler
	 * @param path the path, such as {@code /ws}
	 * @param connectorProperties the connector's properties
	 * @return the started server
	 * @throws Exception if Tomcat does not start
	 */
	public static TomcatServer start(WebSocketHandler handler, String path, Map<String, String> connectorProperties)
			throws Exception {
		return new TomcatServer(handler, path, connectorProperties);
	}

	/**
	 * Returns the WebSocket URI of a path with a query.
	 * @param pathAndQuery such as {@code /ws?user=alice}
	 * @return the URI
	 */
	public URI uri(String pathAndQuery) {
		return URI.create("ws://127.0.0.1:" + this.connector.getLocalPort() + pathAndQuery);
	}

	public int port() {
		return this.connector.getLocalPort();
	}

	@Override
	public void close() throws LifecycleException {
		this.tomcat.stop();
		this.tomcat.destroy();
		deleteRecursively(this.baseDir);
	}

	private static java.util.logging.Logger[] quiet(String... names) {
		java.util.logging.Logger[] loggers = new java.util.logging.Logger[names.length];
		for (int i = 0; i < names.length; i++) {
			loggers[i] = java.util.logging.Logger.getLogger(names[i]);
			loggers[i].setLevel(java.util.logging.Level.SEVERE);
		}
		return loggers;
	}

	private static void deleteRecursively(File file) {
		File[] children = file.listFiles();
		if (children != null) {
			for (File child : children) {
				deleteRecursively(child);
			}
		}
		file.delete();
	}

	private static final class HandshakeServlet extends HttpServlet {

		private static final long serialVersionUID = 1L;

		private final transient WebSocketHttpRequestHandler handler;

		HandshakeServlet(WebSocketHttpRequestHandler handler) {
			this.handler = handler;
		}

		@Override
		protected void service(HttpServletRequest request, HttpServletResponse response)
				throws ServletException, IOException {
			this.handler.handleRequest(request, response);
		}

	}

}
