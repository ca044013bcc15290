package dev.wsinfra.realtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * What the service fixes for one relay session, whatever the browser asks: the model, the
 * voice, the instructions and the tools. The audio is PCM16 both ways, at the provider's
 * rates. Starts from {@code ws.realtime.*} and goes through every
 * {@link RealtimeSessionCustomizer} before the provider connection opens.
 *
 * @param userId the session's user: the principal's id, or {@code anonymous:} and the
 * session id
 * @param model the model
 * @param voice the voice, or {@code null} for the provider's default
 * @param instructions the system instructions, or {@code null} for none
 * @param tools the functions the model may call, answered on the server
 * @since 0.1.0
 */
public record RealtimeSessionConfig(String userId, String model, @Nullable String voice, @Nullable String instructions,
		List<RealtimeTool> tools) {

	public RealtimeSessionConfig {
		Objects.requireNonNull(userId, "userId must not be null");
		if (model.isBlank()) {
			throw new IllegalArgumentException("model must not be blank");
		}
		tools = List.copyOf(tools);
	}

	/**
	 * Returns the tool of a name.
	 * @param name the name the model called
	 * @return the tool, or {@code null} when the session has none of that name
	 */
	public @Nullable RealtimeTool tool(String name) {
		for (RealtimeTool tool : this.tools) {
			if (tool.name().equals(name)) {
				return tool;
			}
		}
		return null;
	}

	/**
	 * Returns a builder that starts from this configuration.
	 * @return a new builder
	 */
	public Builder toBuilder() {
		return new Builder(this);
	}

	/**
	 * Builds a {@link RealtimeSessionConfig}; the user cannot be changed.
	 */
	public static final class Builder {

		private final String userId;

		private String model;

		private @Nullable String voice;

		private @Nullable String instructions;

		private final List<RealtimeTool> tools;

		private Builder(RealtimeSessionConfig config) {
			this.userId = config.userId;
			this.model = config.model;
			this.voice = config.voice;
			this.instructions = config.instructions;
			this.tools = new ArrayList<>(config.tools);
		}

		/**
		 * Returns the session's user, for decisions that depend on it.
		 * @return the user id
		 */
		public String userId() {
			return this.userId;
		}

		/**
		 * Sets the model.
		 * @param model the model
		 * @return this builder
		 */
		public Builder model(String model) {
			this.model = model;
			return this;
		}

		/**
		 * Sets the voice.
		 * @param voice the voice, or {@code null} for the provider's default
		 * @return this builder
		 */
		public Builder voice(@Nullable String voice) {
			this.voice = voice;
			return this;
		}

		/**
		 * Sets the instructions.
		 * @param instructions the instructions, or {@code null} for none
		 * @return this builder
		 */
		public Builder instructions(@Nullable String instructions) {
			this.instructions = instructions;
			return this;
		}

		/**
		 * Adds a tool.
		 * @param tool the tool
		 * @return this builder
		 */
		public Builder tool(RealtimeTool tool) {
			this.tools.add(tool);
			return this;
		}

		/**
		 * Removes every tool of a name.
		 * @param name the name
		 * @return this builder
		 */
		public Builder removeTool(String name) {
			this.tools.removeIf((tool) -> tool.name().equals(name));
			return this;
		}

		/**
		 * Builds the configuration.
		 * @return the configuration
		 * @throws IllegalArgumentException if the model is blank
		 */
		public RealtimeSessionConfig build() {
			return new RealtimeSessionConfig(this.userId, this.model, this.voice, this.instructions, this.tools);
		}

	}

}
