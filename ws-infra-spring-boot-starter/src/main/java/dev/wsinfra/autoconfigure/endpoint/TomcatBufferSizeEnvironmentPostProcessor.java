package dev.wsinfra.autoconfigure.endpoint;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.ClassUtils;
import org.springframework.util.unit.DataSize;

/**
 * Sets Tomcat's {@code org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE} system property from
 * {@code ws.tomcat.default-buffer-size} (default 1KB), which sizes the frame buffers of every
 * WebSocket connection. Tomcat reads the property once, when its WebSocket classes load, so
 * this runs while the environment is prepared, long before the web server starts. A value
 * already set, on the command line for instance, is left alone.
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
		if (System.getProperty(PROPERTY) != null || !ClassUtils
			.isPresent("org.apache.tomcat.websocket.server.WsSci", TomcatBufferSizeEnvironmentPostProcessor.class.getClassLoader())) {
			return;
		}
		DataSize size = Binder.get(environment)
			.bind("ws.tomcat.default-buffer-size", DataSize.class)
			.orElse(DEFAULT);
		if (size.toBytes() >= 16 && size.toBytes() <= Integer.MAX_VALUE) {
			System.setProperty(PROPERTY, Long.toString(size.toBytes()));
		}
	}

}
