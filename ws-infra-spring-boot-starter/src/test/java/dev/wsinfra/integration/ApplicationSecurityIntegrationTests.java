package dev.wsinfra.integration;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.wsinfra.testsupport.TestTokens;
import dev.wsinfra.testsupport.WsTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application with its own Spring Security filter chain that authenticates every request:
 * its HTTP endpoints stay protected, and the WebSocket endpoints still work with ws-infra's
 * own authentication.
 */
@SpringBootTest(classes = { TestApplication.class, ApplicationSecurityIntegrationTests.AppSecurity.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "ws.auth.jwt.secret=" + TestTokens.SECRET)
class ApplicationSecurityIntegrationTests {

	@LocalServerPort
	private int port;

	@Test
	void applicationChainStillProtectsHttpAndWebSocketsUseTheirOwnAuthentication() throws Exception {
		HttpResponse<String> hello = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/hello")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(hello.statusCode()).isEqualTo(401);
		URI endpoint = URI.create("ws://127.0.0.1:" + this.port + "/user/echo");
		try (WsTestClient client = WsTestClient.to(endpoint).bearer(TestTokens.user("secured").sign()).open()) {
			assertThat(client.nextText()).contains("\"user\":\"secured\"");
		}
		assertThat(WsTestClient.refusedStatus(WsTestClient.to(endpoint))).isEqualTo(401);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	static class AppSecurity {

		@Bean
		SecurityFilterChain appChain(HttpSecurity http) {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.httpBasic(Customizer.withDefaults())
				.build();
		}

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(User.withUsername("admin").password("{noop}secret").roles("ADMIN").build());
		}

	}

}
