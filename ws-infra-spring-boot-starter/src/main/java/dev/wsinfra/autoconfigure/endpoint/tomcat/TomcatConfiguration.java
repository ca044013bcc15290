package dev.wsinfra.autoconfigure.endpoint.tomcat;

import java.util.ArrayList;
import java.util.List;

import dev.wsinfra.autoconfigure.WsProperties;
import dev.wsinfra.autoconfigure.endpoint.EndpointRegistry;
import dev.wsinfra.autoconfigure.endpoint.security.Credentials;
import org.apache.catalina.Valve;
import org.apache.catalina.startup.Tomcat;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Tomcat's part of the endpoints: the connector's per-connection socket buffers, and the
 * valve that keeps credentials out of Tomcat's access log.
 * <p>
 * Not API: imported by {@code WsEndpointAutoConfiguration}; may change without notice.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ Tomcat.class, TomcatConnectorCustomizer.class })
public class TomcatConfiguration {

	private static final Log logger = LogFactory.getLog(TomcatConfiguration.class);

	@Bean
	@ConditionalOnMissingBean(name = "wsTomcatSocketBuffers")
	TomcatConnectorCustomizer wsTomcatSocketBuffers(WsProperties properties) {
		long size = properties.tomcat().socketBufferSize().toBytes();
		return (connector) -> {
			if (size <= 0) {
				return;
			}
			for (String property : new String[] { "socket.appReadBufSize", "socket.appWriteBufSize" }) {
				if (!connector.setProperty(property, Long.toString(size))) {
					logger.warn("Tomcat connector did not accept " + property + "=" + size
							+ " (ws.tomcat.socket-buffer-size)");
				}
			}
		};
	}

	@Bean
	@ConditionalOnMissingBean(name = "wsTomcatQueryMasking")
	QueryMaskingCustomizer wsTomcatQueryMasking(EndpointRegistry registry, WsProperties properties) {
		return new QueryMaskingCustomizer(
				new QueryMaskingValve(registry, Credentials.CredentialNames.of(properties.auth())));
	}

	/**
	 * Puts the {@link QueryMaskingValve} first among the engine's valves, ahead of the
	 * access log valve of {@code server.tomcat.accesslog.*}, which Spring Boot's
	 * customizer (order 0) added: the engine calls its access logs in the order of its
	 * valves.
	 */
	static final class QueryMaskingCustomizer
			implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

		private final QueryMaskingValve valve;

		QueryMaskingCustomizer(QueryMaskingValve valve) {
			this.valve = valve;
		}

		@Override
		public void customize(TomcatServletWebServerFactory factory) {
			List<Valve> valves = new ArrayList<>();
			valves.add(this.valve);
			valves.addAll(factory.getEngineValves());
			factory.setEngineValves(valves);
		}

		@Override
		public int getOrder() {
			return Ordered.LOWEST_PRECEDENCE;
		}

	}

}
