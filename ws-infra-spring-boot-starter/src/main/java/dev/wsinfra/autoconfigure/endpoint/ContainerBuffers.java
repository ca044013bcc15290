package dev.wsinfra.autoconfigure.endpoint;

import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerContainer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.web.context.ServletContextAware;

/**
 * Sets the WebSocket container's default message buffer sizes once the servlet context is up
 * and before any connection opens. The container allocates both buffers eagerly for every
 * session, so they are kept small while ws-infra receives messages in parts; with
 * permessage-deflate allowed, parts are off and the buffers are the maximum message size. A
 * size of 0 or less leaves the container's buffers alone.
 */
final class ContainerBuffers implements ServletContextAware {

	private static final Log logger = LogFactory.getLog(ContainerBuffers.class);

	private final int size;

	ContainerBuffers(int size) {
		this.size = size;
	}

	int size() {
		return this.size;
	}

	@Override
	public void setServletContext(ServletContext servletContext) {
		if (this.size <= 0) {
			return;
		}
		if (!(servletContext.getAttribute("jakarta.websocket.server.ServerContainer") instanceof ServerContainer container)) {
			logger.debug("No WebSocket container in the servlet context; message buffers left as they are");
			return;
		}
		container.setDefaultMaxTextMessageBufferSize(this.size);
		container.setDefaultMaxBinaryMessageBufferSize(this.size);
		if (logger.isDebugEnabled()) {
			logger.debug("WebSocket container message buffers set to " + this.size + " bytes");
		}
	}

}
