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
			String query = request.getQueryString();
			if (query != null && this.registry.matches(request)) {
				String masked = UpgradeRequestFilter.mask(query, this.names);
				if (masked != null && !masked.equals(query)) {
					request.getCoyoteRequest().queryString().setString(masked);
				}
			}
		}
	}

}
