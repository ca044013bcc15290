package dev.wsinfra.client.internal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTests {

	@ParameterizedTest
	@ValueSource(ints = { 408, 425, 429, 500, 502, 503, 504, 599 })
	void retriesStatusesThatMaySucceedLater(int status) {
		assertThat(RetryPolicy.isRetryableStatus(status)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(ints = { 200, 301, 302, 400, 401, 403, 404, 405, 410, 426 })
	void doesNotRetryStatusesThatCannotSucceed(int status) {
		assertThat(RetryPolicy.isRetryableStatus(status)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(ints = { 1002, 1003, 1007, 1008, 1009, 1010, 1015, 3000, 3003, 4000, 4008, 4999 })
	void closeCodesThatEndReconnection(int code) {
		assertThat(RetryPolicy.isTerminalCloseCode(code)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(ints = { 1000, 1001, 1005, 1006, 1011, 1012, 1013, 1014, 3001, 3008, 5000 })
	void closeCodesThatAreRetried(int code) {
		assertThat(RetryPolicy.isTerminalCloseCode(code)).isFalse();
	}

}
