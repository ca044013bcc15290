package dev.wsinfra.autoconfigure.endpoint.tomcat;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.ClassUtils;
import org.springframework.util.unit.DataSize;

/**
 * Sets Tomcat's {@code org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE} system property
 * from {@code ws.tomcat.default-buffer-size} (default 1KB). Tomcat reads the property
 * once, when its WebSocket classes load, so this runs while the environment is prepared,
 * long before the web server starts. A value already set, on the command line for
 * instance, is left alone.
 * <p>
 * The property is JVM-wide. It sizes the read, write and encoding buffers of every
 * WebSocket connection, server or client, which only bounds the bytes handled per call;
 * and it is the default message buffer size, that is the largest whole message, of every
 * Tomcat WebSocket container created afterwards. {@link ContainerBuffers} gives the
 * server container's other endpoints Tomcat's usual 8 KiB back; a Tomcat WebSocket client
 * container the application creates keeps the property's value unless it sets its own.
 *
 * @since 0.1.0
 */
public class TomcatBufferSizeEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/** Tomcat's system property. */
	public static final String PROPERTY = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";

	private static final DataSize DEFAULT = DataSize.ofKilobytes(1);

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (System.getProperty(PROPERTY) != null || !ClassUtils.isPresent("org.apache.tomcat.websocket.server.WsSci",
				TomcatBufferSizeEnvironmentPostProcessor.class.getClassLoader())) {
			return;
		}
		DataSize size = Binder.get(environment).bind("ws.tomcat.default-buffer-size", DataSize.class).orElse(DEFAULT);
		if (size.toBytes() >= 16 && size.toBytes() <= Integer.MAX_VALUE) {
			System.setProperty(PROPERTY, Long.toString(size.toBytes()));
		}
	}

	/**
	 * Returns whether Tomcat's property holds the configured size, as this post-processor
	 * sets it: Tomcat's containers then take it as their default message buffer size too.
	 * @param configured the value of {@code ws.tomcat.default-buffer-size}
	 */
	static boolean isApplied(DataSize configured) {
		return configured.toBytes() > 0 && Long.toString(configured.toBytes()).equals(System.getProperty(PROPERTY));
	}

}
