package dev.wsinfra.autoconfigure.jsclient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpHeaders;
import org.springframework.web.HttpRequestHandler;

/**
 * One file of the JavaScript client, read from the starter once, served with an ETag of
 * its content and {@code Cache-Control: no-cache}: browsers keep it and ask again with
 * {@code If-None-Match}, which is answered 304 until the application ships another
 * version of the starter.
 */
final class JsClientResource implements HttpRequestHandler {

	static final String LOCATION = "META-INF/ws-infra/js/";

	private final byte[] content;

	private final String etag;

	private final String contentType;

	JsClientResource(String name, String contentType) {
		this.content = read(LOCATION + name);
		this.etag = "\"" + sha256(this.content).substring(0, 32) + "\"";
		this.contentType = contentType;
	}

	String etag() {
		return this.etag;
	}

	@Override
	public void handleRequest(HttpServletRequest request, HttpServletResponse response) throws IOException {
		String method = request.getMethod();
		if (!"GET".equals(method) && !"HEAD".equals(method)) {
			response.setHeader(HttpHeaders.ALLOW, "GET, HEAD");
			response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
			return;
		}
		response.setHeader(HttpHeaders.ETAG, this.etag);
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
		if (matches(request.getHeader(HttpHeaders.IF_NONE_MATCH))) {
			response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
			return;
		}
		response.setContentType(this.contentType);
		response.setContentLength(this.content.length);
		if ("GET".equals(method)) {
			response.getOutputStream().write(this.content);
		}
	}

	private boolean matches(String ifNoneMatch) {
		if (ifNoneMatch == null) {
			return false;
		}
		for (String candidate : ifNoneMatch.split(",")) {
			String tag = candidate.trim();
			if (tag.startsWith("W/")) {
				tag = tag.substring(2);
			}
			if (tag.equals("*") || tag.equals(this.etag)) {
				return true;
			}
		}
		return false;
	}

	private static byte[] read(String location) {
		try (InputStream input = new ClassPathResource(location, JsClientResource.class.getClassLoader())
			.getInputStream()) {
			return input.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("ws-infra's JavaScript client is missing from the starter: " + location, ex);
		}
	}

	private static String sha256(byte[] content) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
