package io.github.posthogflink.testkit.capture;

import io.github.posthogflink.testkit.http.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.IOException;

/**
 * The lexical part of the {@link FastBodyReader}: a position in UTF-8 JSON bytes, and the checks
 * and skips of values, each of which gives up ({@link GiveUp}) on anything outside the subset the
 * reader takes. Where a token ends, the next byte must be whitespace, a comma or a closing bracket.
 */
final class ByteCursor {
    static final int MAX_DEPTH = 64;
    static final int MAX_NUMBER_LENGTH = 100;
    static final int MAX_KEY_LENGTH = 1000;

    /** Hands the body to the Jackson reader; carries no stack trace. */
    static final class GiveUp extends Exception {
        private static final long serialVersionUID = 1L;

        private GiveUp() {
            super(null, null, false, false);
        }
    }

    static final GiveUp GIVE_UP = new GiveUp();

    /** Bytes a string holds as they are: printable ASCII but the quote and the backslash. */
    private static final boolean[] PLAIN = new boolean[256];

    /** Hex digit values; -1 for other bytes. */
    private static final int[] HEX = new int[256];

    static {
        for (int c = 0x20; c < 0x80; c++) {
            PLAIN[c] = c != '"' && c != '\\';
        }
        java.util.Arrays.fill(HEX, -1);
        for (int c = 0; c < 16; c++) {
            HEX["0123456789abcdef".charAt(c)] = c;
            HEX["0123456789ABCDEF".charAt(c)] = c;
        }
    }

    final byte[] b;
    final int end;
    int pos;
    private int depth;

    /** The length of the last key read. */
    int keyLength;

    /** Whether the last string read had escapes, and bytes beyond ASCII. */
    boolean escaped;

    boolean nonAscii;

    ByteCursor(byte[] bytes, int length) {
        this.b = bytes;
        this.end = length;
    }

    /** The byte at the position, or -1 at the end. */
    int peek() {
        return pos < end ? b[pos] & 0xff : -1;
    }

    static boolean whitespace(int c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    void whitespace() {
        while (pos < end && whitespace(b[pos])) {
            pos++;
        }
    }

    /** Steps into an object or array (at its bracket). */
    void enter() throws GiveUp {
        if (++depth > MAX_DEPTH) {
            throw GIVE_UP;
        }
        pos++;
        whitespace();
    }

    /**
     * After a member or element: true at a comma (then at the next one), false at {@code close}
     * (then after it, out of the container).
     */
    boolean separator(char close) throws GiveUp {
        whitespace();
        int c = peek();
        pos++;
        if (c == ',') {
            whitespace();
            return true;
        }
        if (c == close) {
            depth--;
            return false;
        }
        throw GIVE_UP;
    }

    /** Whether the container just entered closes at once (then after it). */
    boolean closesAt(char close) {
        if (peek() == close) {
            pos++;
            depth--;
            return true;
        }
        return false;
    }

    /**
     * Reads an object key in plain ASCII and the colon after it; returns where the key starts, its
     * length in {@link #keyLength}.
     */
    int key() throws GiveUp {
        if (peek() != '"') {
            throw GIVE_UP;
        }
        int start = ++pos;
        while (pos < end && PLAIN[b[pos] & 0xff]) {
            pos++;
        }
        if (pos >= end || b[pos] != '"' || pos - start > MAX_KEY_LENGTH) {
            throw GIVE_UP;
        }
        keyLength = pos - start;
        pos++;
        whitespace();
        if (peek() != ':') {
            throw GIVE_UP;
        }
        pos++;
        whitespace();
        return start;
    }

    void skipValue() throws GiveUp {
        switch (peek()) {
            case '"' -> skipString();
            case '{' -> {
                enter();
                if (closesAt('}')) {
                    return;
                }
                do {
                    skipKey();
                    skipValue();
                } while (separator('}'));
            }
            case '[' -> {
                enter();
                if (closesAt(']')) {
                    return;
                }
                do {
                    skipValue();
                } while (separator(']'));
            }
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> skipNumber();
        }
    }

    /** A key of a skipped object: any string (not too long), then the colon. */
    private void skipKey() throws GiveUp {
        if (peek() != '"') {
            throw GIVE_UP;
        }
        int start = pos;
        skipString();
        if (pos - start > MAX_KEY_LENGTH) {
            throw GIVE_UP;
        }
        whitespace();
        if (peek() != ':') {
            throw GIVE_UP;
        }
        pos++;
        whitespace();
    }

    /** Skips the string at the position (at its quote), noting escapes and non-ASCII bytes. */
    void skipString() throws GiveUp {
        escaped = false;
        nonAscii = false;
        int p = pos + 1;
        while (true) {
            while (p < end && PLAIN[b[p] & 0xff]) {
                p++;
            }
            if (p >= end) {
                throw GIVE_UP;
            }
            int c = b[p] & 0xff;
            if (c == '"') {
                pos = p + 1;
                return;
            }
            if (c == '\\') {
                escaped = true;
                p = escape(p);
            } else if (c >= 0x80) {
                nonAscii = true;
                p = utf8(p, c);
            } else {
                throw GIVE_UP; // a control character
            }
        }
    }

    /** Checks the escape at {@code p} (its backslash); returns where it ends. */
    private int escape(int p) throws GiveUp {
        if (p + 1 >= end) {
            throw GIVE_UP;
        }
        switch (b[p + 1]) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                return p + 2;
            }
            case 'u' -> {
                if (p + 5 >= end
                        || (HEX[b[p + 2] & 0xff]
                                        | HEX[b[p + 3] & 0xff]
                                        | HEX[b[p + 4] & 0xff]
                                        | HEX[b[p + 5] & 0xff])
                                < 0) {
                    throw GIVE_UP;
                }
                return p + 6;
            }
            default -> throw GIVE_UP;
        }
    }

    /**
     * Checks the well-formed UTF-8 sequence at {@code p} (lead byte {@code c}): no overlong form,
     * no surrogate, nothing past U+10FFFF; returns where it ends.
     */
    private int utf8(int p, int c) throws GiveUp {
        int length;
        int low = 0x80;
        int high = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            length = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            length = 3;
            low = c == 0xE0 ? 0xA0 : 0x80;
            high = c == 0xED ? 0x9F : 0xBF;
        } else if (c >= 0xF0 && c <= 0xF4) {
            length = 4;
            low = c == 0xF0 ? 0x90 : 0x80;
            high = c == 0xF4 ? 0x8F : 0xBF;
        } else {
            throw GIVE_UP;
        }
        if (p + length > end) {
            throw GIVE_UP;
        }
        int second = b[p + 1] & 0xff;
        if (second < low || second > high) {
            throw GIVE_UP;
        }
        for (int i = p + 2; i < p + length; i++) {
            if ((b[i] & 0xC0) != 0x80) {
                throw GIVE_UP;
            }
        }
        return p + length;
    }

    private void skipNumber() throws GiveUp {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        int c = peek();
        if (c == '0') {
            pos++;
        } else if (c >= '1' && c <= '9') {
            digits();
        } else {
            throw GIVE_UP;
        }
        if (peek() == '.') {
            pos++;
            if (digits() == 0) {
                throw GIVE_UP;
            }
        }
        c = peek();
        if (c == 'e' || c == 'E') {
            pos++;
            c = peek();
            if (c == '+' || c == '-') {
                pos++;
            }
            if (digits() == 0) {
                throw GIVE_UP;
            }
        }
        if (pos - start > MAX_NUMBER_LENGTH) {
            throw GIVE_UP;
        }
        tokenEnd();
    }

    private int digits() {
        int start = pos;
        while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
            pos++;
        }
        return pos - start;
    }

    /** Reads the literal {@code word} ({@code true}, {@code false} or {@code null}). */
    void literal(String word) throws GiveUp {
        if (pos + word.length() > end) {
            throw GIVE_UP;
        }
        for (int i = 0; i < word.length(); i++) {
            if (b[pos + i] != word.charAt(i)) {
                throw GIVE_UP;
            }
        }
        pos += word.length();
        tokenEnd();
    }

    /** Where a token ends comes whitespace, a comma or a closing bracket. */
    private void tokenEnd() throws GiveUp {
        int c = peek();
        if (!(whitespace(c) || c == ',' || c == ']' || c == '}')) {
            throw GIVE_UP;
        }
    }

    /**
     * The string at the position as text; {@code intern} shares it through the thread's {@link
     * TextInterner}.
     */
    String string(boolean intern) throws GiveUp {
        int start = pos + 1;
        skipString();
        int length = pos - 1 - start;
        if (intern && !escaped) {
            return TextInterner.forThread().intern(b, start, length, !nonAscii);
        }
        return decoded(start, length);
    }

    /** The text of the bytes of the string just skipped (without its quotes). */
    String decoded(int start, int length) {
        return escaped ? unescape(start, length) : TextInterner.decode(b, start, length, !nonAscii);
    }

    /** The text of a checked string's bytes with escapes, decoded as Jackson decodes them. */
    private String unescape(int start, int length) {
        String raw = TextInterner.decode(b, start, length, false);
        StringBuilder text = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '\\') {
                text.append(c);
                continue;
            }
            char e = raw.charAt(++i);
            switch (e) {
                case 'b' -> text.append('\b');
                case 'f' -> text.append('\f');
                case 'n' -> text.append('\n');
                case 'r' -> text.append('\r');
                case 't' -> text.append('\t');
                case 'u' -> {
                    text.append((char) Integer.parseInt(raw, i + 1, i + 5, 16));
                    i += 4;
                }
                default -> text.append(e); // '"', '\\', '/'
            }
        }
        return text.toString();
    }

    /** A string as it is, JSON null as null, any other value as its JSON text. */
    String text() throws GiveUp {
        int c = peek();
        if (c == '"') {
            return string(true);
        }
        if (c == 'n') {
            literal("null");
            return null;
        }
        return node().toString();
    }

    /** The value at the position as a tree parse would build it (Jackson for all but these). */
    JsonNode node() throws GiveUp {
        switch (peek()) {
            case '"' -> {
                return TextNode.valueOf(string(false));
            }
            case 't' -> {
                literal("true");
                return BooleanNode.TRUE;
            }
            case 'f' -> {
                literal("false");
                return BooleanNode.FALSE;
            }
            case 'n' -> {
                literal("null");
                return NullNode.getInstance();
            }
            default -> {
                int start = pos;
                skipValue();
                try {
                    return Json.MAPPER.readTree(b, start, pos - start);
                } catch (IOException e) {
                    throw GIVE_UP;
                }
            }
        }
    }

    /**
     * Reads a canonical uuid string (36 characters, dashes at 8, 13, 18, 23, hex digits) at the
     * position into {@code bits} (most then least significant); false, with the position unmoved,
     * for any other value.
     */
    boolean canonicalUuid(long[] bits) {
        int s = pos + 1;
        if (pos + 38 > end || b[pos] != '"' || b[s + 36] != '"') {
            return false;
        }
        if (b[s + 8] != '-' || b[s + 13] != '-' || b[s + 18] != '-' || b[s + 23] != '-') {
            return false;
        }
        long most = 0;
        long least = 0;
        int nibbles = 0;
        for (int i = s; i < s + 36; i++) {
            if (i == s + 8 || i == s + 13 || i == s + 18 || i == s + 23) {
                continue;
            }
            int digit = HEX[b[i] & 0xff];
            if (digit < 0) {
                return false;
            }
            if (nibbles++ < 16) {
                most = most << 4 | digit;
            } else {
                least = least << 4 | digit;
            }
        }
        bits[0] = most;
        bits[1] = least;
        pos = s + 37;
        return true;
    }

    /** A view of checked ASCII bytes as characters. */
    CharSequence ascii(int start, int length) {
        return new AsciiText(b, start, length);
    }

    private record AsciiText(byte[] bytes, int start, int length) implements CharSequence {
        @Override
        public char charAt(int index) {
            return (char) bytes[start + index];
        }

        @Override
        public CharSequence subSequence(int from, int to) {
            return new AsciiText(bytes, start + from, to - from);
        }

        @Override
        public String toString() {
            return TextInterner.decode(bytes, start, length, true);
        }
    }
}
