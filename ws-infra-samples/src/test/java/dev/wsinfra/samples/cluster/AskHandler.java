package dev.wsinfra.samples.cluster;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import dev.wsinfra.endpoint.WsEndpoint;
import dev.wsinfra.endpoint.WsRequest;
import dev.wsinfra.endpoint.WsRequestHandler;
import dev.wsinfra.security.WsAuth;

import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * A test endpoint, {@code /test/ask}, whose requests are answered by another instance:
 * the handler queues each request's user and id for a worker (the test) and leaves the
 * reply to it.
 */
@WsEndpoint(path = "/test/ask", auth = WsAuth.PROTECTED)
class AskHandler extends TextWebSocketHandler implements WsRequestHandler {

	/** The requests of every instance in this JVM, as {@code user id}. */
	static final BlockingQueue<String> asked = new LinkedBlockingQueue<>();

	@Override
	public Object handleRequest(WsRequest request) {
		asked.add(request.userId() + " " + request.id());
		return WsRequestHandler.NO_REPLY;
	}

}
