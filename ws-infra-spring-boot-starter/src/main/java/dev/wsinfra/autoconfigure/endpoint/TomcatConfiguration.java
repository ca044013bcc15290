package dev.wsinfra.autoconfigure.endpoint;

import dev.wsinfra.autoconfigure.WsProperties;
import org.apache.catalina.startup.Tomcat;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tomcat's part of the endpoints: the connector's per-connection socket buffers, and the
 * valve that keeps credentials out of Tomcat's access log.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ Tomcat.class, TomcatConnectorCustomizer.class })
class TomcatConfiguration {

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
	TomcatContextCustomizer wsTomcatQueryMasking(EndpointRegistry registry, WsProperties properties) {
		return (context) -> context.getPipeline()
			.addValve(new QueryMaskingValve(registry, WsEndpointAutoConfiguration.credentialNames(properties)));
	}

}
