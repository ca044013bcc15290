package dev.wsinfra.realtime;

/**
 * Tokens a provider reported for one response: OpenAI's {@code response.done} usage or
 * Gemini's {@code usageMetadata}.
 *
 * @param inputTokens tokens of the input, text and audio
 * @param outputTokens tokens of the output, text and audio
 * @since 0.1.0
 */
public record RealtimeUsage(long inputTokens, long outputTokens) {

	/**
	 * Returns the tokens in all.
	 * @return input and output tokens
	 */
	public long totalTokens() {
		return this.inputTokens + this.outputTokens;
	}

}
