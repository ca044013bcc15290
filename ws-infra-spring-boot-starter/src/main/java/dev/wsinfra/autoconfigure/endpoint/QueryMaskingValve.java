package dev.wsinfra.autoconfigure.endpoint;

import java.io.IOException;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * Masks the credential query parameters of requests to the declared endpoints in Tomcat's
 * own copy of the query string once the request was handled, so that Tomcat's access log,
 * written afterwards, never shows a token or an API key.
 */
final class QueryMaskingValve extends ValveBase {

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
			// Scanning the query is cheaper than matching the path: match only when there is
			// something to mask, so that the application's other requests pay next to nothing.
			String query = request.getQueryString();
			String masked = (query != null) ? UpgradeRequestFilter.mask(query, this.names) : null;
			if (masked != null && !masked.equals(query) && this.registry.matches(request)) {
				request.getCoyoteRequest().queryString().setString(masked);
			}
		}
	}

}
