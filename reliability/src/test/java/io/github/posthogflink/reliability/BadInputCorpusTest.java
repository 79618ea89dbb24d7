package io.github.posthogflink.reliability;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Checks the bad-input corpus against its own table ({@code bad-input/expected.tsv}): every line of
 * every file has an expectation, and each line really is what the table says (invalid UTF-8 bytes,
 * JSON a strict parser refuses, the uuid the table names). The pipeline run over the corpus comes
 * with the pipeline jar.
 */
class BadInputCorpusTest {

    private static final ObjectMapper STRICT =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    record Expectation(String file, int line, String outcome, String note) {}

    static List<Expectation> expectations() throws IOException {
        List<Expectation> result = new ArrayList<>();
        for (String row :
                new String(resource("expected.tsv"), StandardCharsets.UTF_8).split("\n")) {
            if (row.isBlank() || row.startsWith("#")) {
                continue;
            }
            String[] cells = row.split("\t");
            result.add(new Expectation(cells[0], Integer.parseInt(cells[1]), cells[2], cells[3]));
        }
        return result;
    }

    @Test
    void everyCommittedLineHasOneExpectation() throws IOException {
        Map<String, Integer> linesPerFile = new LinkedHashMap<>();
        for (Expectation e : expectations()) {
            if (e.file().startsWith("generated:")) {
                continue;
            }
            assertThat(e.line()).isEqualTo(linesPerFile.getOrDefault(e.file(), 0) + 1);
            linesPerFile.put(e.file(), e.line());
        }
        assertThat(linesPerFile).hasSize(8);
        for (Map.Entry<String, Integer> file : linesPerFile.entrySet()) {
            assertThat(lines(file.getKey())).as(file.getKey()).hasSize(file.getValue());
        }
    }

    @Test
    void eachLineIsWhatTheTableSays() throws IOException {
        for (Expectation e : expectations()) {
            if (e.file().startsWith("generated:")) {
                continue;
            }
            byte[] line = lines(e.file()).get(e.line() - 1);
            String where = e.file() + ":" + e.line() + " (" + e.note() + ")";
            if (e.outcome().equals("dead_letter:invalid_utf8")) {
                assertThatThrownBy(() -> strictUtf8(line))
                        .as(where)
                        .isInstanceOf(CharacterCodingException.class);
                continue;
            }
            String text = strictUtf8(line);
            if (e.outcome().equals("dead_letter:invalid_json")) {
                assertThatThrownBy(() -> object(text)).as(where).isInstanceOf(IOException.class);
                continue;
            }
            assertThatCode(() -> object(text)).as(where).doesNotThrowAnyException();
            JsonNode event = STRICT.readTree(text);
            if (e.outcome().startsWith("deliver:") && !e.outcome().equals("deliver:position")) {
                assertThat(event.path("uuid").asText().toLowerCase(java.util.Locale.ROOT))
                        .as(where)
                        .isEqualTo(e.outcome().substring("deliver:".length()));
            }
        }
    }

    /** Parses an event as the pipeline should: one JSON object whose properties are an object. */
    private static JsonNode object(String text) throws IOException {
        JsonNode node = STRICT.readTree(text);
        if (!node.isObject()) {
            throw new IOException("not an object");
        }
        JsonNode properties = node.get("properties");
        if (properties != null && !properties.isNull() && !properties.isObject()) {
            throw new IOException("properties is not an object");
        }
        return node;
    }

    private static String strictUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }

    /** A file's lines as bytes, split on '\n' only (as the pipeline's reader). */
    static List<byte[]> lines(String file) throws IOException {
        byte[] all = resource(file);
        List<byte[]> lines = new ArrayList<>();
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        for (byte b : all) {
            if (b == '\n') {
                lines.add(current.toByteArray());
                current.reset();
            } else {
                current.write(b);
            }
        }
        if (current.size() > 0) {
            lines.add(current.toByteArray());
        }
        return lines;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = BadInputCorpusTest.class.getResourceAsStream("/bad-input/" + name)) {
            if (in == null) {
                throw new IOException("no resource bad-input/" + name);
            }
            return in.readAllBytes();
        }
    }
}
