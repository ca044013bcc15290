package dev.wsinfra.autoconfigure.endpoint.tomcat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import dev.wsinfra.autoconfigure.WsProperties;
import dev.wsinfra.autoconfigure.endpoint.EndpointRegistry;
import dev.wsinfra.autoconfigure.endpoint.WsEndpointAutoConfiguration;
import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.web.context.ServletContextAware;
import org.springframework.web.servlet.handler.AbstractUrlHandlerMapping;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.server.standard.ServerEndpointExporter;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;
import org.springframework.web.socket.sockjs.support.SockJsHttpRequestHandler;

/**
 * The message buffers of the WebSocket container. Tomcat allocates a session's two
 * message buffers, at the container's default sizes, before the session opens, and
 * applies a size set on the session from the session's next message on. ws-infra's
 * endpoints receive messages in parts and assemble them, so their sessions need small
 * buffers only ({@link #sessionSize()}, which the endpoints' handler sets on each of
 * them); the application's other WebSocket endpoints may need whole messages up to
 * Tomcat's usual 8 KiB. So, once every bean exists and before the web server takes
 * connections:
 * <ul>
 * <li>when ws-infra's endpoints are the application's only ones, the container's defaults
 * are the sessions' small size, so that no idle session holds larger buffers;</li>
 * <li>otherwise they are what the application would have without ws-infra: Tomcat's 8 KiB
 * when ws-infra set Tomcat's {@code DEFAULT_BUFFER_SIZE} property, from which Tomcat
 * takes its defaults, else the container's own.</li>
 * </ul>
 * A size the application set itself, through a {@link ServletServerContainerFactoryBean}
 * or the servlet context's parameters, is kept.
 * <p>
 * Not API: public only for the endpoint packages of ws-infra's auto-configuration; may
 * change without notice.
 */
public final class ContainerBuffers implements ServletContextAware, SmartInitializingSingleton {

	/**
	 * Tomcat's default message buffer size when {@code DEFAULT_BUFFER_SIZE} is not set.
	 */
	static final int TOMCAT_DEFAULT = 8 * 1024;

	/** Message buffer size of ws-infra's sessions, unless configured. */
	static final int SMALL = 1024;

	private static final String CONTAINER_ATTRIBUTE = "jakarta.websocket.server.ServerContainer";

	private static final String TEXT_PARAMETER = "org.apache.tomcat.websocket.textBufferSize";

	private static final String BINARY_PARAMETER = "org.apache.tomcat.websocket.binaryBufferSize";

	private static final Log logger = LogFactory.getLog(ContainerBuffers.class);

	private final int sessionSize;

	private final int othersSize;

	private final EndpointRegistry registry;

	private final ListableBeanFactory beanFactory;

	private @Nullable ServletContext servletContext;

	/**
	 * Creates the container's buffer settings.
	 * @param sessionSize the size of ws-infra's sessions
	 * @param othersSize the size for the application's other endpoints, 0 or less to keep
	 * the container's
	 */
	ContainerBuffers(int sessionSize, int othersSize, EndpointRegistry registry, ListableBeanFactory beanFactory) {
		this.sessionSize = sessionSize;
		this.othersSize = othersSize;
		this.registry = registry;
		this.beanFactory = beanFactory;
	}

	/**
	 * Creates the container's buffer settings that the properties select.
	 * @param properties the properties
	 * @param registry the declared endpoints
	 * @param beanFactory the bean factory, to find the application's own endpoints
	 * @return the settings
	 */
	public static ContainerBuffers of(WsProperties properties, EndpointRegistry registry,
			ListableBeanFactory beanFactory) {
		// Tomcat takes its containers' default message buffer size
		// from DEFAULT_BUFFER_SIZE.
		int others = TomcatBufferSizeEnvironmentPostProcessor.isApplied(properties.tomcat().defaultBufferSize())
				? TOMCAT_DEFAULT : -1;
		return new ContainerBuffers(sessionSize(properties), others, registry, beanFactory);
	}

	/**
	 * Returns the message buffer size of ws-infra's sessions that the properties select.
	 * @param properties the properties
	 * @return the size in bytes
	 */
	public static int sessionSize(WsProperties properties) {
		if (properties.permessageDeflate()) {
			// Messages then arrive whole, up to the maximum size.
			return (int) properties.maxMessageSize().toBytes();
		}
		return (properties.tomcat().messageBufferSize() != null)
				? (int) properties.tomcat().messageBufferSize().toBytes() : SMALL;
	}

	int sessionSize() {
		return this.sessionSize;
	}

	/**
	 * Returns the default size the container gets, 0 or less when it keeps its own.
	 */
	int containerSize() {
		return (applicationEndpoints().isEmpty() && !this.registry.routes().isEmpty()) ? this.sessionSize
				: this.othersSize;
	}

	@Override
	public void setServletContext(ServletContext servletContext) {
		this.servletContext = servletContext;
	}

	@Override
	public void afterSingletonsInstantiated() {
		ServletContext context = this.servletContext;
		if (context == null || !(context.getAttribute(CONTAINER_ATTRIBUTE) instanceof ServerContainer container)) {
			logger.debug("No WebSocket container in the servlet context; message buffers left as they are");
			return;
		}
		List<String> own = applicationEndpoints();
		int size = containerSize();
		if (size > 0 && !configured(context, TEXT_PARAMETER,
				ServletServerContainerFactoryBean::getMaxTextMessageBufferSize)) {
			container.setDefaultMaxTextMessageBufferSize(size);
		}
		if (size > 0 && !configured(context, BINARY_PARAMETER,
				ServletServerContainerFactoryBean::getMaxBinaryMessageBufferSize)) {
			container.setDefaultMaxBinaryMessageBufferSize(size);
		}
		if (!own.isEmpty()) {
			logger.info("The application has WebSocket endpoints of its own " + own + ": the container's message "
					+ "buffers stay at " + container.getDefaultMaxTextMessageBufferSize() + " bytes for them, and "
					+ "ws-infra's sessions use " + this.sessionSize + " bytes from their first message");
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("WebSocket container message buffers: " + container.getDefaultMaxTextMessageBufferSize()
					+ " bytes");
		}
	}

	private boolean configured(ServletContext context, String parameter,
			Function<ServletServerContainerFactoryBean, @Nullable Integer> size) {
		if (context.getInitParameter(parameter) != null) {
			return true;
		}
		return this.beanFactory.getBeansOfType(ServletServerContainerFactoryBean.class, false, false)
			.values()
			.stream()
			.anyMatch((factory) -> size.apply(factory) != null);
	}

	/**
	 * Returns the beans through which the application serves WebSocket endpoints of its
	 * own: Spring handler mappings that hold WebSocket or SockJS handlers, WebSocket
	 * configurers, and Jakarta endpoints.
	 */
	List<String> applicationEndpoints() {
		List<String> found = new ArrayList<>();
		this.beanFactory.getBeansOfType(AbstractUrlHandlerMapping.class, false, false).forEach((name, mapping) -> {
			if (!name.equals(WsEndpointAutoConfiguration.HANDLER_MAPPING_BEAN_NAME) && mapping.getHandlerMap()
				.values()
				.stream()
				.anyMatch((handler) -> handler instanceof WebSocketHttpRequestHandler
						|| handler instanceof SockJsHttpRequestHandler)) {
				found.add(name);
			}
		});
		found.addAll(List.of(this.beanFactory.getBeanNamesForType(WebSocketConfigurer.class, false, false)));
		found.addAll(List.of(this.beanFactory.getBeanNamesForType(ServerEndpointExporter.class, false, false)));
		found.addAll(List.of(this.beanFactory.getBeanNamesForType(ServerEndpointConfig.class, false, false)));
		found.addAll(List.of(this.beanFactory.getBeanNamesForAnnotation(ServerEndpoint.class)));
		return found;
	}

}
