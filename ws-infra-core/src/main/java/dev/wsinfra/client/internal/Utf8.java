package dev.wsinfra.client.internal;

/**
 * Sizes of text on the wire.
 */
public final class Utf8 {

	private Utf8() {
	}

	/**
	 * Returns the number of bytes the text takes in UTF-8, without encoding it. An unpaired
	 * surrogate counts as three bytes, the most any encoder writes for it.
	 * @param text the text
	 * @return the encoded length
	 */
	public static long encodedLength(CharSequence text) {
		return dev.wsinfra.internal.Utf8.encodedLength(text);
	}

}
