package dev.wsinfra.internal;

/**
 * Sizes of text on the wire, for the client and the server.
 */
public final class Utf8 {

	private Utf8() {
	}

	/**
	 * Returns the number of bytes the text takes in UTF-8, without encoding it. An
	 * unpaired surrogate counts as three bytes, the most any encoder writes for it.
	 * @param text the text
	 * @return the encoded length
	 */
	public static long encodedLength(CharSequence text) {
		long bytes = 0;
		int length = text.length();
		for (int i = 0; i < length; i++) {
			char c = text.charAt(i);
			if (c < 0x80) {
				bytes += 1;
			}
			else if (c < 0x800) {
				bytes += 2;
			}
			else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
				bytes += 4;
				i++;
			}
			else {
				bytes += 3;
			}
		}
		return bytes;
	}

}
