package dev.wsinfra.samples.notifications;

import java.util.Map;

import dev.wsinfra.samples.support.JsonEndpointHandler;
import dev.wsinfra.samples.support.JsonMessages;
import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.server.DistributedConnectionManager;
import tools.jackson.databind.JsonNode;

import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The seed's {@code notify_user} as a REST endpoint: {@code POST /api/notify/{userId}}
 * with any JSON body sends {@code {"type": "notification", "data": <body>}} to every
 * connection of the user, on every instance with the Redis module. It needs a JWT with
 * the scope {@code notify} ({@code Authorization: Bearer …}), see the security
 * configuration. The answer, 202, says whether the user was connected; a notification for
 * a user who is not is dropped, as the seed does. While Redis does not answer nothing is
 * sent and the answer is 503 with {@code {"type":"error","error":"unavailable",…}} and
 * {@code Retry-After}.
 */
@RestController
class NotifyController {

	private static final String RETRY_AFTER_SECONDS = "5";

	private final ConnectionManager manager;

	NotifyController(ConnectionManager manager) {
		this.manager = manager;
	}

	@PostMapping("/api/notify/{userId}")
	ResponseEntity<Delivery> notify(@PathVariable String userId, @RequestBody JsonNode data) {
		boolean online = (this.manager instanceof DistributedConnectionManager distributed)
				? distributed.isUserOnline(userId) : this.manager.isUserConnected(userId);
		this.manager.sendToUser(userId, new Notification("notification", data));
		return ResponseEntity.accepted().body(new Delivery(userId, online));
	}

	@ExceptionHandler(DataAccessException.class)
	ResponseEntity<Map<String, Object>> unavailable(DataAccessException ex) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
			.body(JsonMessages.error(JsonEndpointHandler.UNAVAILABLE,
					"Redis does not answer, so whether the user is online is unknown; nothing was sent, try again later"));
	}

	/** The message the user's connections receive. */
	record Notification(String type, JsonNode data) {

	}

	/**
	 * The answer.
	 *
	 * @param userId the user
	 * @param online whether the user had a connection when the notification was sent
	 */
	record Delivery(String userId, boolean online) {

	}

}
