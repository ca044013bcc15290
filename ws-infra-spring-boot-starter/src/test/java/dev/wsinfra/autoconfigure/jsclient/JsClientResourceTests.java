package dev.wsinfra.autoconfigure.jsclient;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

class JsClientResourceTests {

	private final JsClientResource script = new JsClientResource("ws-infra.js", "text/javascript;charset=UTF-8");

	@Test // #16
	void otherMethodsThanGetAndHeadAre405() throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.script.handleRequest(new MockHttpServletRequest("POST", "/ws-infra/ws-infra.js"), response);
		assertThat(response.getStatus()).isEqualTo(405);
		assertThat(response.getHeader("Allow")).isEqualTo("GET, HEAD");
		assertThat(response.getContentAsByteArray()).isEmpty();
	}

	@Test // #16
	void anyEtagMatchesTheWildcard() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/ws-infra/ws-infra.js");
		request.addHeader("If-None-Match", "*");
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.script.handleRequest(request, response);
		assertThat(response.getStatus()).isEqualTo(304);
		assertThat(response.getHeader("ETag")).isEqualTo(this.script.etag());
	}

	@Test // #16
	void theEtagFollowsTheContent() {
		assertThat(new JsClientResource("ws-infra.d.ts", "application/typescript").etag())
			.isNotEqualTo(this.script.etag());
		assertThat(new JsClientResource("ws-infra.js", "text/javascript").etag()).isEqualTo(this.script.etag());
	}

}
