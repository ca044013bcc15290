package dev.wsinfra.realtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the browser may send through the relay: an allow-list of event types, and an
 * allow-list of the session fields its events may set (such as {@code turn_detection});
 * every other field (the model, voice, instructions, tools, audio formats) is the
 * service's, and an event that would set one is refused or has the field filtered out, by
 * {@link #restrictedFields()}.
 * <p>
 * A field is named by its path from the object of settings an event carries, with dots
 * for nesting: {@code audio.input.turn_detection} allows that object and all below it,
 * nothing beside it.
 *
 * @param allowedEvents the event types the browser may send
 * @param allowedFields the paths of the settings fields the browser may set
 * @param restrictedFields what happens to an event that sets any other field
 * @since 0.1.0
 */
public record RealtimeClientPolicy(Set<String> allowedEvents, Set<String> allowedFields,
		RestrictedFields restrictedFields) {

	public RealtimeClientPolicy {
		allowedEvents = Set.copyOf(allowedEvents);
		allowedFields = Set.copyOf(allowedFields);
	}

	/**
	 * Returns whether the browser may send events of a type.
	 * @param type the event type
	 * @return whether it is in the allow-list
	 */
	public boolean allowsEvent(String type) {
		return this.allowedEvents.contains(type);
	}

	/**
	 * Checks the settings an event carries, filtering restricted fields out of them in
	 * place when the policy says so.
	 * @param type the event's type, for the refusal's message
	 * @param settings the object of settings, such as the {@code session} of an OpenAI
	 * {@code session.update}
	 * @return the verdict
	 */
	public RealtimeVerdict checkSettings(String type, ObjectNode settings) {
		List<String> restricted = new ArrayList<>();
		collectRestricted(settings, "", restricted);
		if (restricted.isEmpty()) {
			return RealtimeVerdict.accept();
		}
		if (this.restrictedFields == RestrictedFields.FILTER) {
			restricted.forEach((path) -> remove(settings, path));
			return RealtimeVerdict.accept();
		}
		return RealtimeVerdict.refuse("restricted_field",
				type + " may not set " + String.join(", ", restricted) + ": the service fixes them");
	}

	private void collectRestricted(JsonNode node, String prefix, List<String> restricted) {
		for (Map.Entry<String, JsonNode> field : node.properties()) {
			String path = prefix + field.getKey();
			if (this.allowedFields.contains(path)) {
				continue;
			}
			JsonNode value = field.getValue();
			if (value.isObject() && !value.isEmpty() && hasAllowedBelow(path + ".")) {
				collectRestricted(value, path + ".", restricted);
			}
			else {
				restricted.add(path);
			}
		}
	}

	private boolean hasAllowedBelow(String prefix) {
		for (String allowed : this.allowedFields) {
			if (allowed.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

	private static void remove(ObjectNode settings, String path) {
		int dot = path.indexOf('.');
		if (dot < 0) {
			settings.remove(path);
			return;
		}
		JsonNode child = settings.get(path.substring(0, dot));
		if (child instanceof ObjectNode object) {
			remove(object, path.substring(dot + 1));
			if (object.isEmpty()) {
				settings.remove(path.substring(0, dot));
			}
		}
	}

	/**
	 * What happens to an event of the browser that would set a field the service fixes.
	 */
	public enum RestrictedFields {

		/** The event is not forwarded; the browser gets an error event. */
		REFUSE,

		/** The restricted fields are removed and the rest of the event is forwarded. */
		FILTER

	}

}
