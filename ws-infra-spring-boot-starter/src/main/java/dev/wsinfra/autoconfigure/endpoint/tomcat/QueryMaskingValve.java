package dev.wsinfra.autoconfigure.endpoint.tomcat;

import java.io.IOException;

import dev.wsinfra.autoconfigure.endpoint.EndpointRegistry;
import dev.wsinfra.autoconfigure.endpoint.security.Credentials;
import jakarta.servlet.ServletException;
import org.apache.catalina.AccessLog;
import org.apache.catalina.Context;
import org.apache.catalina.Engine;
import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * Masks the credential query parameters in Tomcat's own copy of the query string, so that
 * Tomcat's access log never shows a token or an API key: of requests to the declared
 * endpoints, once they were handled, and of every request that Tomcat refused before
 * routing it, such as one whose headers are too large. Installed first in the engine's
 * pipeline, so that, as an {@link AccessLog} itself, it runs before the access logs of
 * the engine even for requests that no valve saw, and hands those to the access log of
 * the host or the application's context as Tomcat would if the engine had none.
 */
final class QueryMaskingValve extends ValveBase implements AccessLog {

	private final EndpointRegistry registry;

	private final Credentials.CredentialNames names;

	QueryMaskingValve(EndpointRegistry registry, Credentials.CredentialNames names) {
		super(true);
		this.registry = registry;
		this.names = names;
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		try {
			getNext().invoke(request, response);
		}
		finally {
			mask(request, false);
		}
	}

	@Override
	public void log(Request request, Response response, long time) {
		// Without a context, Tomcat refused the request before routing it: neither the
		// application nor ws-infra saw it, and its path, never normalized, says little.
		boolean refused = request.getMappingData().context == null;
		mask(request, refused);
		if (refused) {
			logToDefault(request, response, time);
		}
	}

	/**
	 * Hands a refused request to the access log of the default host or of its root
	 * context when the engine has no other access log: Tomcat does so itself only when
	 * the engine has none, and this valve is one.
	 */
	private void logToDefault(Request request, Response response, long time) {
		if (!(getContainer() instanceof Engine engine)) {
			return;
		}
		for (Valve valve : engine.getPipeline().getValves()) {
			if (valve != this && valve instanceof AccessLog) {
				return;
			}
		}
		if (engine.findChild(engine.getDefaultHost()) instanceof Host host && host.getState().isAvailable()) {
			AccessLog log = host.getAccessLog();
			if (log == null && host.findChild("") instanceof Context root && root.getState().isAvailable()) {
				log = root.getAccessLog();
			}
			if (log != null) {
				log.log(request, response, time);
			}
		}
	}

	private void mask(Request request, boolean anyPath) {
		// Scanning the query is cheaper than matching the path: match only when
		// there is something to mask, so that the application's other requests pay
		// next to nothing.
		String query = request.getQueryString();
		String masked = (query != null) ? Credentials.maskQuery(query, this.names) : null;
		if (masked != null && !masked.equals(query) && (anyPath || this.registry.matchesForMasking(request))) {
			request.getCoyoteRequest().queryString().setString(masked);
		}
	}

	@Override
	public void setRequestAttributesEnabled(boolean requestAttributesEnabled) {
	}

	@Override
	public boolean getRequestAttributesEnabled() {
		return false;
	}

}
